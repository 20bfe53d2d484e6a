/** The time zone if the platform knows it, else UTC: a stored zone never breaks a message. */
export function safeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}
