import type { Services } from '../services.js';
import { defineJob } from '../jobs/job-contract.js';
import { ADMIN_ALERT } from '../jobs/job-kinds.js';
import { sendWhatsAppRequest } from './send-request.js';

/**
 * Tells the operator on WhatsApp (admin.whatsapp / ADMIN_WHATSAPP_TO), once per key. Without an
 * admin number the alert is only logged.
 */
export async function alertAdmin(services: Pick<Services, 'config' | 'queue' | 'logger'>, key: string, text: string): Promise<void> {
  const admin = services.config.admin.whatsapp;
  services.logger.warn({ alert: key }, text);
  if (admin === '') return;
  await services.queue.enqueue(sendWhatsAppRequest({ to: admin, body: `rolplay: ${text}`, kind: 'admin' }, `admin:${key}`));
}

/** An alert decided inside a transaction (an unmatched organizer at ingest) goes out as a job. */
export const adminAlertJob = defineJob(ADMIN_ALERT, (services) => async ({ payload }) => {
  await alertAdmin(services, payload.key, payload.text);
});
