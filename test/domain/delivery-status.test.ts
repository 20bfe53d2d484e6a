import { describe, expect, it } from 'vitest';
import { isDeliveryFailure, isDeliveryStatus, statusesReplacedBy } from '../../src/domain/delivery-status.js';

describe('delivery status', () => {
  it("knows Twilio's message statuses and which are failures", () => {
    for (const s of ['queued', 'sent', 'delivered', 'read', 'failed', 'undelivered', 'accepted', 'canceled']) expect(isDeliveryStatus(s)).toBe(true);
    for (const s of ['', 'exploded', 'toString', '__proto__', 'Delivered']) expect(isDeliveryStatus(s)).toBe(false);
    expect(['failed', 'undelivered', 'canceled', 'delivered'].map(isDeliveryFailure)).toEqual([true, true, false, false]);
  });

  it('moves forward only; a failure replaces anything short of delivered and nothing replaces it', () => {
    expect(statusesReplacedBy('queued')).toEqual([]);
    expect(statusesReplacedBy('delivered')).toEqual(['accepted', 'scheduled', 'queued', 'sending', 'sent']);
    expect(statusesReplacedBy('read')).toContain('delivered');
    expect(statusesReplacedBy('failed')).toEqual(['accepted', 'scheduled', 'queued', 'sending', 'sent']);
    for (const s of ['sent', 'delivered', 'read', 'undelivered'] as const) expect(statusesReplacedBy(s)).not.toContain('failed');
  });
});
