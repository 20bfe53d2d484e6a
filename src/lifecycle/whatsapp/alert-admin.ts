import type { Services } from '../services.js';

/**
 * Tells the operator on WhatsApp (admin.whatsapp / ADMIN_WHATSAPP_TO), once per key. Without an
 * admin number the alert is only logged.
 */
export async function alertAdmin(services: Pick<Services, 'config' | 'queue' | 'logger'>, key: string, text: string): Promise<void> {
  const admin = services.config.admin.whatsapp;
  services.logger.warn({ alert: key }, text);
  if (admin === '') return;
  await services.queue.enqueue({
    kind: 'send_whatsapp',
    dedupeKey: `admin:${key}`,
    payload: { to: admin, body: `rolplay: ${text}`, kind: 'admin' },
  });
}
