import { configSchema } from '../config/schema.js';
import { systemClock } from '../support/clock.js';
import type { Store } from '../store/open-store.js';
import { createJobQueue } from '../lifecycle/jobs/job-queue.js';
import { reminderDueAt, scheduleFollowUp } from '../lifecycle/follow-up/schedule-follow-up.js';
import { sendWhatsAppRequest } from '../lifecycle/whatsapp/send-request.js';
import { enqueueInput } from '../lifecycle/jobs/job-queue.js';
import type { DueReminder } from './load-summary.js';

/**
 * What the load bench puts in a store before a daemon starts on it. Jobs are written through
 * the lifecycle's own request builders (scheduleFollowUp, sendWhatsAppRequest), so that their
 * kinds and payloads stay the ones the daemon's handlers expect as the job system changes.
 */

export interface SeededUser {
  id: number;
  email: string;
  phone: string;
}

/** `count` registered salespeople, numbered from `first` (+1 415 555 xxxx, so first + count <= 9,000). */
export async function seedUsers(store: Store, count: number, first: number): Promise<SeededUser[]> {
  const users: SeededUser[] = [];
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const n = first + i;
    const { user } = await store.users.upsert({ email: `seller${n}@bench.example`, name: `Seller ${n}`, phone: `+1415${5551000 + n}`, timezone: 'UTC' }, now);
    users.push({ id: user.id, email: user.email, phone: user.phone });
  }
  return users;
}

/**
 * One meeting per reminder (round-robin over `users`), whose post-meeting reminder falls due
 * evenly between `firstDue` and `lastDue`; scheduled exactly as calendar ingestion does it.
 */
export async function seedReminders(store: Store, users: SeededUser[], count: number, firstDue: number, lastDue: number): Promise<DueReminder[]> {
  const config = configSchema.parse({});
  const services = { config, clock: systemClock, store, queue: createJobQueue(store, systemClock, config.jobs.maxAttempts) };
  const delayMs = reminderDueAt(services, { end_at: 0 });
  const reminders: DueReminder[] = [];
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const user = users[i % users.length]!;
    const due = Math.round(firstDue + (count > 1 ? (i * (lastDue - firstDue)) / (count - 1) : 0));
    const title = `Reminder check R${i}`;
    const meeting = await store.meetings.insert({
      event_id: `bench-reminder-${i}`, source: 'graph', title, start_at: due - delayMs - 1_800_000, end_at: due - delayMs,
      organizer_email: user.email, user_id: user.id, status: 'plan_sent', created_at: now, updated_at: now,
    });
    await scheduleFollowUp(services, meeting);
    reminders.push({ to: user.phone, title, dueAt: reminderDueAt(services, meeting) });
  }
  return reminders;
}

/** `count` WhatsApp sends due now (a backlog, as after a day of downtime), spread over `users`, 1,000 per transaction. */
export async function seedSendBacklog(store: Store, users: SeededUser[], count: number, runAt = Date.now()): Promise<void> {
  const batch = 1000;
  for (let start = 0; start < count; start += batch) {
    await store.transaction(async (tx) => {
      for (let i = start; i < Math.min(count, start + batch); i++) {
        const user = users[i % users.length]!;
        const request = sendWhatsAppRequest({ to: user.phone, body: `Backlog message ${i}: your plan for tomorrow is ready.`, kind: 'plan', userId: user.id, meetingId: null }, `bench-backlog:${i}`, { runAt });
        await tx.jobs.enqueue(enqueueInput(request, runAt, 8), runAt);
      }
    });
  }
}
