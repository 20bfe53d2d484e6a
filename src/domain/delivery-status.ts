/**
 * What Twilio's status callbacks say about an outgoing message, and how a newer report may
 * replace an older one. Callbacks can arrive twice and out of order, so a status only moves
 * forward: queued -> sending -> sent -> delivered -> read, and a failure is final (a late
 * "delivered" never brings a failed message back). A failure reported after "delivered" is
 * ignored too: the phone already has the message.
 */
export type DeliveryStatus =
  | 'accepted' | 'scheduled' | 'queued' | 'sending' | 'sent' | 'delivered' | 'read'
  | 'undelivered' | 'failed' | 'canceled';

/** Rank of the statuses on the way to the phone; final ones are not ranked. A Map: "toString" is not a status. */
const PROGRESS = new Map<string, number>([['accepted', 0], ['scheduled', 0], ['queued', 0], ['sending', 1], ['sent', 2], ['delivered', 3], ['read', 4]]);
const FINAL = new Set<string>(['undelivered', 'failed', 'canceled']);

export function isDeliveryStatus(value: string): value is DeliveryStatus {
  return PROGRESS.has(value) || FINAL.has(value);
}

/** The message did not reach the phone (Twilio's ErrorCode says why). */
export function isDeliveryFailure(status: string): boolean {
  return status === 'failed' || status === 'undelivered';
}

/**
 * The recorded statuses `next` may overwrite (a message with no status yet takes any):
 * a progress status replaces the ones before it; a failure replaces anything short of
 * delivered; nothing replaces a failure.
 */
export function statusesReplacedBy(next: DeliveryStatus): DeliveryStatus[] {
  const below = FINAL.has(next) ? PROGRESS.get('delivered')! : PROGRESS.get(next) ?? -1;
  return [...PROGRESS].filter(([, rank]) => rank < below).map(([status]) => status as DeliveryStatus);
}
