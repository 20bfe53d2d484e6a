import { describe, expect, it } from 'vitest';
import { HEALTH_PATH } from '../../src/daemon/http/http-listener.js';
import { buildProgram } from '../../src/cli/main.js';
import { processIo } from '../../src/cli/cli-context.js';
import { ENV_NAMES, SECRET_ENV_NAMES, configFromEnv, minimumMajor, packageJson, readYaml, readmeEnvTable, readmeSection } from './deploy-files.js';

interface EnvVar { key: string; value?: string; sync?: boolean; fromDatabase?: { name: string; property: string } }
interface Blueprint {
  services: Array<{ type: string; name: string; runtime: string; region?: string; buildCommand: string; startCommand: string; healthCheckPath: string; envVars: EnvVar[] }>;
  databases: Array<{ name: string; region?: string; ipAllowList?: unknown[] }>;
}

const blueprint = readYaml<Blueprint>('render.yaml');
const web = blueprint.services.find((s) => s.type === 'web')!;
const envVar = (key: string) => web.envVars.find((v) => v.key === key);
// Variables Render itself reads, not rolplay.
const RENDER_OWN = new Set(['NODE_VERSION']);

describe('render.yaml', () => {
  it('is one Node web service running `rolplay start` through the package bin', () => {
    expect(web).toMatchObject({ runtime: 'node', name: 'rolplay' });
    const [node, script, command, ...rest] = web.startCommand.split(/\s+/);
    expect(node).toBe('node');
    expect(script).toBe(packageJson.bin.rolplay);
    expect(rest).toEqual([]);
    const program = buildProgram(processIo());
    expect(program.commands.map((c) => c.name())).toContain(command);
    expect(command).toBe('start');
  });

  it('builds with npm ci, whose prepare script is the build', () => {
    expect(web.buildCommand).toMatch(/^npm ci\b/);
    expect(packageJson.scripts.prepare).toBe('npm run build');
    expect(web.buildCommand).not.toMatch(/--ignore-scripts/);
    // Dev dependencies (tsc, esbuild) are needed by the build even where NODE_ENV=production.
    expect(web.buildCommand).toMatch(/--include=dev/);
  });

  it('health-checks the path the daemon serves', () => {
    expect(web.healthCheckPath).toBe(HEALTH_PATH);
  });

  it('runs on the Node.js major the package and the Docker image are built for', () => {
    expect(Number(envVar('NODE_VERSION')?.value)).toBe(minimumMajor(packageJson.engines.node));
  });

  it('listens on Render\'s PORT on every interface and uses the attached PostgreSQL', () => {
    // Only the fixed values and the database URL; Render adds PORT (10000 by default).
    const env: Record<string, string> = { PORT: '10000' };
    for (const v of web.envVars) {
      if (v.value !== undefined) env[v.key] = v.value;
      if (v.fromDatabase) env[v.key] = 'postgres://rolplay:secret@dpg-example-a/rolplay';
    }
    const config = configFromEnv(env);
    expect(config.server.port).toBe(10000);
    expect(config.server.host).toBe('0.0.0.0');
    expect(config.database.url).toMatch(/^postgres:/);
    // ROLPLAY_SERVER_PORT would win over PORT and the health check would miss the daemon.
    expect(envVar('ROLPLAY_SERVER_PORT')).toBeUndefined();
    expect(envVar('PORT')).toBeUndefined();
  });

  it('wires DATABASE_URL to the Blueprint\'s own database in the same region, closed to the outside', () => {
    const ref = envVar('DATABASE_URL')?.fromDatabase;
    expect(ref?.property).toBe('connectionString');
    const db = blueprint.databases.find((d) => d.name === ref?.name);
    expect(db).toBeDefined();
    expect(db!.region).toBe(web.region);
    expect(db!.ipAllowList).toEqual([]);
  });

  it('sets only variables rolplay reads', () => {
    const unknown = web.envVars.map((v) => v.key).filter((key) => !ENV_NAMES.has(key) && !RENDER_OWN.has(key));
    expect(unknown).toEqual([]);
  });

  it('asks for every secret in the Dashboard (sync: false), never commits one', () => {
    for (const name of ['GEMINI_API_KEY', 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'HUBSPOT_ACCESS_TOKEN', 'MICROSOFT_CLIENT_SECRET']) {
      expect(envVar(name), name).toEqual({ key: name, sync: false });
    }
    for (const name of SECRET_ENV_NAMES) {
      const v = envVar(name);
      expect(v, `${name} is a secret rolplay reads: list it in render.yaml`).toBeDefined();
      expect(v!.value, name).toBeUndefined();
      expect(v!.sync === false || v!.fromDatabase !== undefined, name).toBe(true);
    }
  });

  it('matches the README: file, start command, health path and documented variables', () => {
    const section = readmeSection('### Render with PostgreSQL');
    expect(section).toContain('render.yaml');
    expect(section).toContain(`\`${web.startCommand}\``);
    expect(section).toContain(`\`${web.healthCheckPath}\``);
    const documented = readmeEnvTable();
    const missing = web.envVars.map((v) => v.key).filter((key) => !RENDER_OWN.has(key) && !documented.has(key));
    expect(missing).toEqual([]);
  });
});
