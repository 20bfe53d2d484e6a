import { describe, expect, it } from 'vitest';
import { equivalentPhones, fromWhatsAppAddress, maskPhone, parsePhone, toWhatsAppAddress } from '../../src/domain/phone.js';

describe('parsePhone', () => {
  it.each([
    ['(415) 555-2671', 'US', '+14155552671'],
    ['415.555.2671', 'US', '+14155552671'],
    ['+1 415 555 2671', 'ES', '+14155552671'],
    ['whatsapp:+14155552671', 'US', '+14155552671'],
    ['WhatsApp: +34 612 34 56 78', 'US', '+34612345678'],
    ['612 34 56 78', 'ES', '+34612345678'],
    ['0034 612 345 678', 'US', '+34612345678'],
    ['07400 123456', 'GB', '+447400123456'],
    ['55 1234 5678', 'MX', '+525512345678'],
    ['+52 1 55 1234 5678', 'US', '+525512345678'],
    ['011 15 2345-6789', 'AR', '+5491123456789'],
  ])('%s (%s) -> %s', (input, country, e164) => {
    expect(parsePhone(input, country)).toEqual({ ok: true, e164 });
  });

  it.each(['', '12', 'not a phone', '+1 555 0000', '+999 123'])('rejects %j with the expected form', (input) => {
    const result = parsePhone(input, 'US');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/empty|expected an international number like \+14155552671/);
  });
});

describe('WhatsApp addresses', () => {
  it('adds and strips the prefix idempotently, and masks for logs', () => {
    expect(toWhatsAppAddress('+14155552671')).toBe('whatsapp:+14155552671');
    expect(toWhatsAppAddress('whatsapp:+14155552671')).toBe('whatsapp:+14155552671');
    expect(fromWhatsAppAddress('whatsapp:+14155552671')).toBe('+14155552671');
    expect(maskPhone('+14155552671')).toBe('+14***71');
  });
});

describe('equivalentPhones', () => {
  it('knows the forms WhatsApp reports for Mexico, Argentina and Brazil', () => {
    expect(equivalentPhones('whatsapp:+5215512345678')).toEqual(['+5215512345678', '+525512345678']);
    expect(equivalentPhones('+5491123456789')).toContain('+541123456789');
    expect(equivalentPhones('+541123456789')).toContain('+5491123456789');
    expect(equivalentPhones('+5511987654321')).toContain('+551187654321');
    expect(equivalentPhones('+551187654321')).toContain('+5511987654321');
    expect(equivalentPhones('+14155552671')).toEqual(['+14155552671']);
  });
});
