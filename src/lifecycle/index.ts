/**
 * The use cases, one folder per capability. Where a behaviour lives:
 * - calendar/   the bot mailbox's calendar: delta ingest, recurring series, cancellations,
 *               accepting invitations, `meetings import`
 * - coaching/   the plan (prompt, Gemini, validation, replay), the coach's answers and the
 *               role-play, the meeting brief with HubSpot context
 * - whatsapp/   everything on WhatsApp: the webhook's inbound messages and commands, sends
 *               (split, resumable, template fallback outside the 24-hour window), delivery
 *               status callbacks, admin alerts
 * - follow-up/  after the meeting: reminder and nudge, the outcome, the HubSpot note, completion
 * - users/      registering salespeople (and picking up their earlier invitations)
 * - reading/    what the CLI shows: meeting lists and details
 * - reporting/  `rolplay report`: coaching figures per salesperson and team over a period
 * - digest/     the weekly WhatsApp digest (schedule.digest): when it is due, and the texts
 * - doctor/     `rolplay doctor` and GET /health
 * - jobs/       the durable job contract: kinds and payload schemas (jobs/job-kinds.ts), the
 *               queue, transactions; the runner that claims and runs them is in daemon/
 * all-jobs.ts lists every job kind's definition; services.ts is what every use case receives.
 */
export { allJobs, bindJobs } from './all-jobs.js';
export type { Services } from './services.js';
