import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEALTH_PATH } from '../../src/daemon/http/http-listener.js';
import { freePort } from '../../src/support/free-port.js';
import { spawnRolplay } from '../helpers/daemon-process.js';
import { configFromEnv, minimumMajor, packageJson, read } from './deploy-files.js';
import { argsOf, envOf, execForm, options, parseDockerfile } from './dockerfile.js';

const stages = parseDockerfile(read('deploy/Dockerfile'));
const build = stages[0]!;
const runtime = stages.at(-1)!;
const runs = (stage: typeof build) => argsOf(stage, 'RUN').join('\n');
/** The sources of every COPY (all words but the destination), relative to the context or /app. */
const copied = (stage: typeof build) => argsOf(stage, 'COPY').flatMap((args) => args.replace(/^--from=\S+\s+/, '').split(/\s+/).slice(0, -1).map((src) => src.replace(/^\/app\//, '')));
const imageEnv = envOf(runtime);
const workdir = argsOf(runtime, 'WORKDIR').at(-1)!;
const healthcheck = argsOf(runtime, 'HEALTHCHECK')[0]!;

describe('deploy/Dockerfile', () => {
  it('builds in one stage and runs in another, both on Debian slim with the Node.js major package.json names', () => {
    expect(stages).toHaveLength(2);
    expect(build.name).toBe('build');
    const base = `node:${minimumMajor(packageJson.engines.node)}-bookworm-slim`;
    expect(stages.map((s) => s.from)).toEqual([base, base]);
  });

  it('has the tools a native better-sqlite3 build needs in the build stage only', () => {
    const install = runs(build).match(/apt-get install[^&]*/)?.[0] ?? '';
    for (const tool of ['python3', 'make', 'g++']) expect(install.split(/\s+/)).toContain(tool);
    expect(runs(runtime)).not.toMatch(/apt-get/);
  });

  it('installs from the lock file, runs the install scripts package.json allows, builds, and drops dev dependencies', () => {
    const script = runs(build);
    expect(script).toMatch(/npm ci\b/);
    expect(copied(build)).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'tsconfig.json', 'scripts', 'src', 'bin']));
    if (/npm ci[^&]*--ignore-scripts/.test(script)) {
      const rebuilt = /npm rebuild ([^&\n]+)/.exec(script)?.[1]?.trim().split(/\s+/) ?? [];
      const allowed = Object.entries(packageJson.allowScripts).filter(([, yes]) => yes).map(([name]) => name);
      expect(rebuilt.sort()).toEqual(allowed.sort());
    }
    expect(script).toMatch(/npm run build\b/);
    expect(script).toMatch(/npm prune --omit=dev\b/);
  });

  it('.dockerignore keeps what the build copies and leaves out installs, builds, data and secrets', () => {
    const fromContext = stages.flatMap((stage) => argsOf(stage, 'COPY').filter((args) => !args.startsWith('--from=')).flatMap((args) => args.split(/\s+/).slice(0, -1)));
    expect(fromContext.filter(dockerignored)).toEqual([]);
    for (const path of ['node_modules', 'dist/bundle/rolplay.cjs', '.git', 'rolplay.db', 'deploy/rolplay.env', 'rolplay.env', 'config.json', 'src/config.json', '.env']) {
      expect(dockerignored(path), path).toBe(true);
    }
  });

  it('ships what the npm package ships, plus package.json and the production node_modules', () => {
    expect(copied(runtime)).toEqual(expect.arrayContaining(['package.json', 'node_modules', ...packageJson.files]));
  });

  it('runs as a non-root user that owns the /data volume, where the SQLite store goes', () => {
    const user = argsOf(runtime, 'USER').at(-1);
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    const volume = execForm(argsOf(runtime, 'VOLUME')[0]!);
    expect(volume).toEqual(['/data']);
    expect(configFromEnv(imageEnv).dataDir).toBe('/data');
    expect(runs(runtime)).toMatch(new RegExp(`chown ${user}:${user} /data`));
  });

  it('exposes the port the daemon listens on with the image\'s environment', () => {
    expect(argsOf(runtime, 'EXPOSE')).toEqual([String(configFromEnv(imageEnv).server.port)]);
  });

  it('starts `rolplay start` through the package bin', () => {
    const cmd = execForm(argsOf(runtime, 'CMD').at(-1)!);
    expect(cmd).toEqual(['rolplay', 'start']);
    const target = posix.join(workdir, packageJson.bin.rolplay!);
    expect(runs(runtime)).toContain(`ln -s ${target} /usr/local/bin/${cmd[0]}`);
  });

  it('health-checks /health with node (the slim image has no curl)', () => {
    const command = execForm(healthcheck);
    expect(command[0]).toBe('node');
    expect(command.join(' ')).toContain(`'${HEALTH_PATH}'`);
    expect(options(healthcheck)).toMatchObject({ interval: expect.any(String), timeout: expect.any(String), 'start-period': expect.any(String) });
  });

  it('the HEALTHCHECK passes against a daemon started as the image starts it, on the port the config chose, and fails once it stops', async () => {
    const [port, otherPort] = [await freePort(), await freePort()];
    // Both set: ROLPLAY_SERVER_PORT wins in the config, and must in the health check too.
    const env = { ...imageEnv, ROLPLAY_DATA_DIR: mkdtempSync(join(tmpdir(), 'rolplay-image-')), ROLPLAY_SERVER_PORT: String(port), PORT: String(otherPort) };
    const daemon = spawnRolplay(execForm(argsOf(runtime, 'CMD').at(-1)!).slice(1), env);
    try {
      await daemon.waitFor(/rolplay started/);
      expect(await runHealthcheck(env)).toBe(0);
    } finally {
      daemon.kill('SIGTERM');
    }
    expect(await daemon.exited).toBe(0);
    expect(await runHealthcheck(env)).toBe(1);
  });
});

/**
 * Whether .dockerignore leaves `path` out of the build context: Go filepath.Match patterns
 * anchored at the context root, `**` for any number of folders, a folder's pattern covering
 * what is inside it (https://docs.docker.com/build/concepts/context/#dockerignore-files).
 */
function dockerignored(path: string): boolean {
  const patterns = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (patterns.some((p) => p.startsWith('!'))) throw new Error('exceptions (!) in .dockerignore: teach this matcher about them');
  return patterns.some((pattern) => {
    const body = pattern.replace(/^\/|\/$/g, '').split(/(\*\*\/|\*\*|\*|\?)/).map((part) => {
      if (part === '**/') return '(?:.*/)?';
      if (part === '**') return '.*';
      if (part === '*') return '[^/]*';
      if (part === '?') return '[^/]';
      return part.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }).join('');
    return new RegExp(`^${body}(?:/.*)?$`).test(path);
  });
}

function runHealthcheck(env: Record<string, string>): Promise<number | null> {
  const [, ...args] = execForm(healthcheck);
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH, ...env }, stdio: 'ignore' });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
