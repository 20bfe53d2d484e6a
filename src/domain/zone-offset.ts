/**
 * Wall clocks in IANA time zones, with Intl alone (no zone-name tables: those live in
 * graph-time.ts, for Graph's Windows zone names), so `rolplay report` reads its dates without
 * loading them.
 */
/**
 * The UTC instant at which the clocks in `zone` show `wall` (a wall time encoded as if UTC).
 * Two passes settle DST edges: a time in the spring-forward gap (which no clock shows) lands on a
 * neighbouring valid instant, an ambiguous autumn time takes its first (daylight) occurrence.
 */
export function wallClockToUtc(wall: number, zone: string): number {
  const first = wall - offsetAt(wall, zone);
  const second = wall - offsetAt(first, zone);
  return second;
}

/** The zone's offset from UTC in ms at `instant`. */
export function offsetAt(instant: number, zone: string): number {
  if (zone === 'UTC') return 0;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}
