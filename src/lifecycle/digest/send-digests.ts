import { buildReport } from '../reporting/build-report.js';
import { digestSummaryLine, digestText, isEmptyWeek, teamDigestText, type DigestPeriod } from '../../domain/digest-text.js';
import { defineJob } from '../jobs/job-contract.js';
import { SEND_DIGESTS } from '../jobs/job-kinds.js';
import { sendBusinessMessage } from '../whatsapp/business-message.js';
import { sendWhatsAppRequest } from '../whatsapp/send-request.js';
import { WEEK_MS } from './digest-schedule.js';
import { messagesFor } from '../../domain/messages/index.js';

/** The dedupe key of one salesperson's digest of one week (its template fallback adds ":template"). */
export function digestKey(userId: number, week: string): string {
  return `digest:${userId}:${week}`;
}

export function teamDigestKey(week: string): string {
  return `digest:team:${week}`;
}

/**
 * 'send_digests' {week, from, to}: the week's `rolplay report`, then one WhatsApp digest per
 * salesperson whose week was not empty and who did not reply "digest off", and the team's to
 * admin.whatsapp. Each message is its own keyed send job, so a retried or repeated run sends
 * nothing twice. Digests are business-initiated: outside the 24-hour window they go out as
 * twilio.templates.digest when set (the full text follows when the salesperson writes), else as
 * free text, which WhatsApp may refuse (63016: the admin is told).
 */
export const sendDigestsJob = defineJob(SEND_DIGESTS, (services) => async ({ payload, logger }) => {
  const { config, store } = services;
  const period: DigestPeriod = { from: payload.from, to: payload.to, timeZone: config.defaults.timezone };
  // "Now" is the scheduled time, so a digest sent late still reports the same week.
  const report = await buildReport(store, { from: payload.from, to: payload.to, previousFrom: payload.from - WEEK_MS, timeZone: period.timeZone, now: payload.to });
  const users = new Map((await store.users.list()).map((u) => [u.email, u]));
  const counts = { sent: 0, empty: 0, off: 0 };
  const people = [];
  for (const figures of report.users) {
    const user = users.get(figures.email);
    if (!user) continue;
    people.push({ name: user.name, figures });
    if (isEmptyWeek(figures)) counts.empty++;
    else if (user.digest_enabled === 0) counts.off++;
    else {
      const m = messagesFor(user.language);
      await sendBusinessMessage(services, {
        user, meetingId: null, kind: 'digest', text: digestText(user.name, figures, period, m),
        variables: { 1: user.name.trim().split(/\s+/)[0] || user.name, 2: digestSummaryLine(figures, m) },
        dedupeKey: digestKey(user.id, payload.week),
      });
      counts.sent++;
    }
  }
  const admin = config.admin.whatsapp;
  const team = admin !== '' && !isEmptyWeek(report.team);
  if (team) await services.queue.enqueue(sendWhatsAppRequest({ to: admin, body: teamDigestText(report.team, people, period), kind: 'admin' }, teamDigestKey(payload.week)));
  logger.info({ week: payload.week, ...counts, team }, 'weekly digests queued');
  return { week: payload.week, ...counts, team };
});
