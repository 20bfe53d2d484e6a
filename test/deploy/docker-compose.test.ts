import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_NAMES, ROOT, SECRET_ENV_NAMES, configFromEnv, read, readYaml, readmeSection } from './deploy-files.js';
import { argsOf, envOf, parseDockerfile } from './dockerfile.js';

interface Service {
  build?: { context: string; dockerfile: string };
  image: string;
  env_file?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}
const compose = readYaml<{ services: Record<string, Service>; volumes?: Record<string, unknown> }>('deploy/docker-compose.yml');
const app = compose.services.rolplay!;
const postgres = compose.services.postgres!;
const image = parseDockerfile(read('deploy/Dockerfile')).at(-1)!;

/** Compose's `${NAME:-default}` interpolation, with nothing set in the shell. */
const interpolate = (value: string) => value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

/** NAME=value lines of an env file (https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/#env-file-syntax). */
function envFile(path: string): Record<string, string> {
  const lines = read(path).split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

describe('deploy/docker-compose.yml', () => {
  it('builds rolplay from deploy/Dockerfile with the repository as context', () => {
    const context = join(ROOT, 'deploy', app.build!.context);
    expect(existsSync(join(context, app.build!.dockerfile))).toBe(true);
    expect(existsSync(join(context, 'package-lock.json'))).toBe(true);
  });

  it('starts rolplay once PostgreSQL answers, and points DATABASE_URL at it', () => {
    expect(app.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(postgres.healthcheck!.test.join(' ')).toMatch(/pg_isready/);
    const url = new URL(interpolate(app.environment!.DATABASE_URL!));
    const pg = Object.fromEntries(Object.entries(postgres.environment!).map(([k, v]) => [k, interpolate(v)]));
    expect(url.hostname).toBe('postgres');
    expect(decodeURIComponent(url.username)).toBe(pg.POSTGRES_USER);
    expect(decodeURIComponent(url.password)).toBe(pg.POSTGRES_PASSWORD);
    expect(url.pathname).toBe(`/${pg.POSTGRES_DB}`);
    // The same password expression on both sides, so setting POSTGRES_PASSWORD changes both.
    expect(app.environment!.DATABASE_URL).toContain(postgres.environment!.POSTGRES_PASSWORD);
    expect(configFromEnv({ ...envOf(image), ...app.environment!, DATABASE_URL: url.href }).database.url).toBe(url.href);
  });

  it('keeps the database on a named volume and publishes the port the image listens on', () => {
    const [volume] = (postgres as Service & { volumes: string[] }).volumes;
    expect(volume).toMatch(/^[a-z-]+:\/var\/lib\/postgresql\/data$/);
    expect(compose.volumes).toHaveProperty(volume!.split(':')[0]!);
    const port = String(configFromEnv(envOf(image)).server.port);
    expect(argsOf(image, 'EXPOSE')).toEqual([port]);
    expect(app.ports).toEqual([`${port}:${port}`]);
  });

  it('reads secrets from an env file git ignores, whose example lists every secret by a name rolplay reads', () => {
    expect(app.env_file).toEqual(['rolplay.env']);
    expect(read('.gitignore').split('\n')).toContain('rolplay.env');
    const example = envFile('deploy/rolplay.env.example');
    expect(Object.keys(example).filter((name) => !ENV_NAMES.has(name))).toEqual([]);
    for (const name of SECRET_ENV_NAMES) expect(example, name).toHaveProperty(name);
    // Loads as is (placeholders included) and leaves the secrets unset.
    const config = configFromEnv(example);
    expect([config.gemini.apiKey, config.twilio.authToken, config.hubspot.accessToken, config.microsoft.clientSecret]).toEqual(['', '', '', '']);
  });

  it('matches the README', () => {
    const section = readmeSection('### Docker and docker compose');
    expect(section).toContain('docker compose -f deploy/docker-compose.yml');
    expect(section).toContain('deploy/rolplay.env.example');
    expect(section).toContain('docker build -f deploy/Dockerfile');
  });
});
