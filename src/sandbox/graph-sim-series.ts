/**
 * The patternedRecurrence of a simulated series master, in the shape of
 * https://learn.microsoft.com/en-us/graph/api/resources/patternedrecurrence (pattern + range):
 * weekly when the step is whole weeks, else daily; a numbered range.
 */
export function recurrenceOf(start: number, occurrences: number, everyDays: number): Record<string, unknown> {
  const weekly = everyDays >= 7 && everyDays % 7 === 0;
  const day = new Date(start).toISOString().slice(0, 10);
  const weekday = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'][new Date(start).getUTCDay()]!;
  return {
    pattern: {
      type: weekly ? 'weekly' : 'daily',
      interval: Math.max(1, Math.round(weekly ? everyDays / 7 : everyDays)),
      month: 0,
      dayOfMonth: 0,
      ...(weekly ? { daysOfWeek: [weekday], firstDayOfWeek: 'sunday' } : {}),
      index: 'first',
    },
    range: { type: 'numbered', startDate: day, endDate: '0001-01-01', recurrenceTimeZone: 'UTC', numberOfOccurrences: occurrences },
  };
}
