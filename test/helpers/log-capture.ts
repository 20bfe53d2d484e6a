import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/support/logger.js';

/** The real logger (redaction and all) writing its JSON lines into memory. */
export function captureLogger(level = 'debug'): { logger: Logger; lines: () => string[]; records: () => Array<Record<string, unknown>> } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter((l) => l !== ''));
      done();
    },
  });
  const logger = createLogger({ level, destination: sink });
  return { logger, lines: () => [...lines], records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/**
 * Keys that occur twice in one object of a JSON text (JSON.parse keeps the last silently):
 * "path.key" for each repeat, at any depth.
 */
export function duplicateKeys(json: string): string[] {
  const repeats: string[] = [];
  // One entry per open object (its keys) or array (null), with the dotted path to it.
  const stack: Array<{ keys: Set<string> | null; path: string }> = [];
  let lastKey = '';
  const re = /"((?:[^"\\]|\\.)*)"\s*(:)?|[{}[\]]/g;
  for (let m = re.exec(json); m; m = re.exec(json)) {
    const token = m[0];
    if (token === '{' || token === '[') {
      const parent = stack[stack.length - 1];
      const path = !parent ? '' : parent.keys ? `${parent.path}${lastKey}.` : parent.path;
      stack.push({ keys: token === '{' ? new Set() : null, path });
    } else if (token === '}' || token === ']') {
      stack.pop();
    } else if (m[2] === ':') {
      const key = JSON.parse(`"${m[1]}"`) as string;
      const keys = stack[stack.length - 1]?.keys;
      if (keys?.has(key)) repeats.push(`${stack[stack.length - 1]!.path}${key}`);
      keys?.add(key);
      lastKey = key;
    }
  }
  return repeats;
}
