import { describe, expect, it } from 'vitest';
import { parseForm } from '../../../src/daemon/http/read-form.js';
import { seeded } from '../../../src/sandbox/http-sim.js';

describe('parseForm', () => {
  it('keeps repeated fields as arrays in order for the signature, and the last value for the lifecycle', () => {
    const { params, signed } = parseForm('To=a&MediaUrl0=x&Body=hi+there%21&To=b&To=c');
    expect(signed).toEqual({ To: ['a', 'b', 'c'], MediaUrl0: 'x', Body: 'hi there!' });
    expect(params).toEqual({ To: 'c', MediaUrl0: 'x', Body: 'hi there!' });
    expect(Object.keys(params)).toEqual(['To', 'MediaUrl0', 'Body']);
  });

  it('parses exactly as URLSearchParams + Object.fromEntries did (empty, odd and encoded fields)', () => {
    for (const text of ['', '&&', 'a', 'a=', '=b', 'a=1&a=1', 'x=%E2%82%AC&y=%ZZ&z=%', 'k%20y=v+w', 'a=b=c', 'toString=1&constructor=2&hasOwnProperty=3']) {
      const { params, signed } = parseForm(text);
      expect(params, text).toEqual(Object.fromEntries(new URLSearchParams(text)));
      const form = new URLSearchParams(text);
      const grouped = [...new Set(form.keys())].map((key) => [key, form.getAll(key).length === 1 ? form.get(key) : form.getAll(key)]);
      expect(Object.entries(signed), text).toEqual(grouped);
    }
  });

  it('agrees with URLSearchParams on 5,000 random forms (repeats, escapes, broken escapes, non-ASCII)', () => {
    const rng = seeded(12);
    const pieces = ['a', 'To', 'Body', '__proto__', 'constructor', '=', '&', '+', '%', '%2', '%41', '%e2%82%ac', '%C3', '%zz', 'é', '€', '😀', ' ', '0'];
    for (let n = 0; n < 5_000; n++) {
      const text = Array.from({ length: Math.floor(rng() * 24) }, () => pieces[Math.floor(rng() * pieces.length)]).join('');
      const form = new URLSearchParams(text);
      const { params, signed } = parseForm(text);
      expect(params, text).toEqual(Object.fromEntries(form));
      // Sorted: integer-like names come first in any object, and Twilio sorts the names anyway.
      const byName = (a: [string, unknown], b: [string, unknown]) => (a[0] < b[0] ? -1 : 1);
      expect(Object.entries(signed).sort(byName), text).toEqual([...new Set(form.keys())].map((key) => [key, form.getAll(key).length === 1 ? form.get(key) : form.getAll(key)]).sort(byName));
    }
  });

  it('keeps a field named __proto__ as data in both views, never as a prototype', () => {
    const { params, signed } = parseForm('Body=hi&__proto__=x');
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(params, '__proto__')?.value).toBe('x');
    expect(Object.keys(signed)).toEqual(['Body', '__proto__']);
    expect(Object.getPrototypeOf(signed)).toBeNull();
  });
});
