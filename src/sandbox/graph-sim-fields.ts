import type { SimAttendeeInput, SimEventData, SimEventInput } from './graph-sim-calendar.js';

/** How the simulated calendar turns test input into event fields. */
export function applyPatch(current: SimEventData, patch: Partial<Omit<SimEventInput, 'id'>>): SimEventData {
  const data: SimEventData = { ...current };
  if (patch.subject !== undefined) data.subject = patch.subject;
  if (patch.body !== undefined) data.body = patch.body;
  if (patch.start !== undefined) data.start = toMillis(patch.start);
  if (patch.end !== undefined) data.end = toMillis(patch.end);
  if (patch.organizer !== undefined) data.organizer = organizerOf(patch.organizer);
  if (patch.attendees !== undefined) data.attendees = patch.attendees.map(attendee);
  if (patch.isAllDay !== undefined) data.isAllDay = patch.isAllDay;
  if (patch.location !== undefined) data.location = patch.location;
  if (patch.joinUrl !== undefined) data.joinUrl = patch.joinUrl;
  if (patch.botResponse !== undefined) data.botResponse = patch.botResponse;
  if (patch.extra !== undefined) data.extra = { ...data.extra, ...patch.extra };
  return data;
}

export function organizerOf(value: SimEventInput['organizer']): { email: string; name: string } {
  return typeof value === 'string' ? { email: value, name: nameOf(value) } : { email: value.email, name: value.name ?? nameOf(value.email) };
}

export function attendee(input: string | SimAttendeeInput): Required<SimAttendeeInput> {
  const a = typeof input === 'string' ? { email: input } : input;
  return { email: a.email, name: a.name ?? nameOf(a.email), type: a.type ?? 'required', response: a.response ?? 'none' };
}

function nameOf(email: string): string {
  const local = email.split('@')[0] ?? email;
  return local.split(/[._-]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');
}

export function toMillis(value: Date | number | string): number {
  const at = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (Number.isNaN(at)) throw new Error(`bad time ${String(value)}`);
  return at;
}
