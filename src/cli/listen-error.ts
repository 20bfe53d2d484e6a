import { RolplayError } from '../support/errors.js';
import type { LoadedConfig } from '../config/validate-config.js';

const WHY: Record<string, string> = {
  EADDRINUSE: 'the address is already in use (another rolplay, or another program, listens there)',
  EACCES: 'permission denied (ports below 1024 need privileges: use a higher port behind a proxy)',
  EADDRNOTAVAIL: 'no network interface of this machine has that address',
};

/**
 * `rolplay start` could not open its HTTP port: one line naming the address, the port, where
 * that setting came from and what to change (exit 2, like any bad setting), instead of Node's
 * bare "listen EADDRINUSE". Undefined for any other error.
 */
export function explainListenError(error: unknown, loaded: LoadedConfig): RolplayError | undefined {
  const e = error as NodeJS.ErrnoException & { address?: string; port?: number };
  if (e?.syscall !== 'listen' || e.code === undefined || !(e.code in WHY)) return undefined;
  const { host, port } = loaded.config.server;
  const address = `${host.includes(':') ? `[${host}]` : host}:${e.port ?? port}`;
  const key = e.code === 'EADDRNOTAVAIL' ? 'server.host' : 'server.port';
  return new RolplayError(`cannot listen on ${address}: ${WHY[e.code]}; ${key} ${origin(key, loaded)}: set another ${key === 'server.host' ? 'address' : 'port'} there`, {
    code: 'LISTEN_FAILED',
    exitCode: 2,
    cause: error,
  });
}

/** "comes from the PORT environment variable", "is set in /etc/rolplay/config.json", or the default. */
function origin(key: string, loaded: LoadedConfig): string {
  const source = loaded.sources[key];
  if (source?.startsWith('env:')) return `comes from the ${source.slice(4)} environment variable`;
  if (source === 'file' && loaded.path) return `is set in ${loaded.path}`;
  return `is the default (set it in the config file${key === 'server.port' ? ', or PORT / ROLPLAY_SERVER_PORT' : ', or ROLPLAY_SERVER_HOST'})`;
}
