import type { Window } from './graph-sim-calendar.js';

/** A delta or skip token of the simulated Graph: where a round stands. */
export interface TokenState {
  mode: 'full' | 'delta';
  window: Window;
  /** full: snapshot sequence; delta: changes in (base, seq]. */
  seq: number;
  base: number;
  offset: number;
  generation: number;
  nonce?: number;
}

// Opaque to clients (they only follow links); here they carry the sync state itself.
export function encodeToken(state: TokenState): string {
  return Buffer.from(JSON.stringify([state.mode, state.window.start, state.window.end, state.seq, state.base, state.offset, state.generation, state.nonce ?? 0])).toString('base64url');
}

export function decodeToken(token: string): TokenState | undefined {
  try {
    const [mode, start, end, seq, base, offset, generation] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as [string, number, number, number, number, number, number];
    if ((mode !== 'full' && mode !== 'delta') || ![start, end, seq, base, offset, generation].every(Number.isFinite)) return undefined;
    return { mode, window: { start, end }, seq, base, offset, generation };
  } catch {
    return undefined;
  }
}
