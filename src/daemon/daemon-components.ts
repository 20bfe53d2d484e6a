import type { App } from './build-app.js';
import type { DaemonComponent } from './daemon-component.js';
import { createWebhookComponent } from './webhook-component.js';
import { createCalendarComponent } from './calendar-component.js';
import { createDigestComponent } from './digest-component.js';

/**
 * The daemon's parts, in start order (stopped in reverse). Each feature adds its component here.
 */
export function buildDaemonComponents(app: App): DaemonComponent[] {
  const components: DaemonComponent[] = [];
  components.push(createWebhookComponent(app));
  const calendar = createCalendarComponent(app);
  if (calendar) components.push(calendar);
  const digest = createDigestComponent(app.services);
  if (digest) components.push(digest);
  return components;
}
