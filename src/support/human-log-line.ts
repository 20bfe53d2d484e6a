/**
 * One pino JSON line as a line for a person at a terminal or reading a cron mail:
 * `rolplay: warning: Gemini call failed; retrying: HTTP 503 ... (status=503, attempt=1)`.
 * CLI commands log this way whether or not stderr is a TTY; only the daemon logs JSON.
 */
const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warning', 50: 'error', 60: 'fatal' };
const NOT_FIELDS = new Set(['level', 'time', 'msg', 'err', 'pid', 'hostname']);

export function humanLogLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const level = LEVELS[Number(record.level)] ?? String(record.level);
  const err = errorText(record.err).trim();
  const fields = Object.entries(record)
    .filter(([key]) => !NOT_FIELDS.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const text = `rolplay: ${level}: ${String(record.msg ?? '')}${err ? `: ${err}` : ''}${fields.length > 0 ? ` (${fields.join(', ')})` : ''}`;
  // One line per entry, whatever a provider's error message holds.
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trimEnd();
}

function errorText(err: unknown): string {
  if (err === undefined || err === null) return '';
  if (typeof err === 'string') return err;
  if (typeof err === 'object' && typeof (err as { message?: unknown }).message === 'string') return (err as { message: string }).message;
  return JSON.stringify(err);
}
