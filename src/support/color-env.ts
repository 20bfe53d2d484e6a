/**
 * Whether output may carry ANSI colours, from the environment: NO_COLOR set and non-empty turns
 * them off (https://no-color.org), FORCE_COLOR turns them on ("0" or "false" off) where the
 * output is not a terminal; otherwise `fallback` (usually: is it a TTY?).
 */
export function colorWanted(env: NodeJS.ProcessEnv, fallback: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return fallback;
}
