import { safeZone } from '../safe-zone.js';
/**
 * Dates, numbers, plurals and lists for the catalogues, all from the platform's Intl in the
 * catalogue's locale (so a new language gets its own word order, month names and plural rules
 * for free). No I/O.
 */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/** The form Intl.PluralRules picks for `n`, with "#" replaced by the number: "# meeting" -> "1 meeting". */
export function plural(locale: string, n: number, forms: PluralForms): string {
  const form = forms[new Intl.PluralRules(locale).select(n)] ?? forms.other;
  return form.replace(/#/g, new Intl.NumberFormat(locale).format(n));
}

/** "A, B and C" / "A, B y C". */
export function listOf(locale: string, items: readonly string[]): string {
  return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(items);
}

/** One decimal, without a trailing zero: 6.3, 7 (6,3 in Spanish). */
export function mark(locale: string, value: number): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(Math.round(value * 10) / 10);
}

/** A meeting's day and times in the salesperson's zone: "Mon, 5 Jan 2026, 15:00–16:00 (Europe/Madrid)". */
export function meetingTime(locale: string, startAt: number, endAt: number, timeZone: string): string {
  const zone = safeZone(timeZone);
  const format = new Intl.DateTimeFormat(locale, {
    weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone,
  });
  const range = endAt > startAt ? format.formatRange(new Date(startAt), new Date(endAt)) : format.format(new Date(startAt));
  return `${range} (${zone})`;
}

/** A moment without the year: "Mon 5 Jan, 15:00" / "lun 5 de ene, 15:00". */
export function dayAndTime(locale: string, at: number, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, {
    weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: safeZone(timeZone),
  }).format(new Date(at));
}

/** A day without a time: "Mon 30 Nov" / "lun 30 de nov". */
export function shortDay(locale: string, at: number, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', timeZone: safeZone(timeZone) }).format(new Date(at));
}

/** A calendar date (YYYY-MM-DD, no zone): "5 Jan 2026" / "5 ene 2026"; anything else as given. */
export function calendarDay(locale: string, ymd: string): string {
  const ms = Date.parse(`${ymd}T12:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(ymd) || Number.isNaN(ms)) return ymd;
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(ms));
}
