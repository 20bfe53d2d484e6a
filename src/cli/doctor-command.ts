import { Command } from 'commander';
import { ConfigError, RolplayError, errorMessage } from '../support/errors.js';
import type { Config } from '../config/schema.js';
import { findPlaceholders } from '../config/placeholders.js';
import type { Store } from '../store/open-store.js';
import type { CheckResult, DoctorCheck } from '../lifecycle/doctor/doctor-checks.js';
import { openCliStore } from './meeting-args.js';
import { cliContext, print, printJson, type CliContext, type CliIo, type GlobalOptions } from './cli-context.js';
import { createProgress } from './progress.js';

const MARK = { ok: '✔', fail: '✖', warn: '⚠' } as const;

/**
 * `rolplay doctor`: the config, each configured service through its real client, the store and
 * the queue. One line per check, naming the fix; exit 0 only if nothing failed. Never prints a
 * secret: client errors are written not to hold one, and every line is scrubbed anyway.
 */
export function doctorCommand(io: CliIo, globals: () => GlobalOptions): Command {
  return new Command('doctor')
    .description('check the configuration, the four services, the store and the job queue; exit 0 only if all pass')
    .option('--json', 'print the results as one JSON array')
    .action(async (opts: { json?: boolean }) => {
      let ctx: CliContext;
      try {
        ctx = await cliContext(globals(), io, 'silent');
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        const results: CheckResult[] = error.problems.map((p) => ({ name: 'Config', status: 'fail', detail: p }));
        if (opts.json) printJson(io, results);
        else for (const r of results) print(io, line(r));
        throw new ConfigError(`the configuration has ${error.problems.length} problem(s): fix them and run \`rolplay doctor\` again`);
      }
      // The checks, the store and the SDK clients load only now: `rolplay --help` stays quick.
      const [{ SECRET_KEYS }, { systemClock }, { redactSecrets, runChecks }, { storeChecks }, { probesFromServices, serviceChecks }] = await Promise.all([
        import('../config/schema.js'), import('../support/clock.js'), import('../lifecycle/doctor/doctor-checks.js'),
        import('../lifecycle/doctor/doctor-store-checks.js'), import('../lifecycle/doctor/doctor-service-checks.js'),
      ]);
      const secrets = secretValues(ctx.config, SECRET_KEYS);
      const results: CheckResult[] = [];
      const progress = createProgress(io, !opts.json);
      const done = (r: CheckResult) => {
        const clean = { ...r, detail: redactSecrets(r.detail, secrets) };
        results.push(clean);
        progress.stop();
        if (!opts.json) print(io, line(clean));
      };
      done({ name: 'Config', status: 'ok', detail: `${ctx.loaded.path ?? 'no config file (defaults and environment)'} is valid` });
      for (const p of findPlaceholders(ctx.config)) {
        done({ name: 'Config', status: 'fail', detail: `${p.key} is ${JSON.stringify(p.value)}, a placeholder from config.example.json: set it to ${p.fix}` });
      }
      const voiceProblem = (await import('../lifecycle/whatsapp/voice-reply.js')).voiceRepliesProblem(ctx.config);
      if (voiceProblem) done({ name: 'Voice replies', status: 'warn', detail: voiceProblem });

      let store: Store | undefined;
      try {
        progress.start('opening the store');
        store = await openCliStore(ctx);
      } catch (error) {
        done({ name: 'Store', status: 'fail', detail: errorMessage(error) });
      }
      try {
        if (store) {
          const checks: DoctorCheck[] = [];
          const { buildApp } = await import('../daemon/build-app.js');
          const app = await buildApp({ config: ctx.config, logger: ctx.logger, store });
          checks.push(...serviceChecks(ctx.config, probesFromServices(app.services)), ...storeChecks(store, systemClock));
          try {
            await runChecks(checks, { onStart: (name) => progress.start(`checking ${name}`), onDone: done });
          } finally {
            await app.close();
          }
        }
      } finally {
        progress.stop();
        await store?.close();
      }
      if (opts.json) printJson(io, results);
      const failed = results.filter((r) => r.status === 'fail').length;
      if (failed > 0) throw new RolplayError(`${failed} of ${results.length} checks failed (see the ✖ lines above)`, { code: 'DOCTOR_FAILED', exitCode: 1 });
    });
}

function line(r: CheckResult): string {
  return `${MARK[r.status]} ${r.name}: ${r.detail}`;
}

function secretValues(config: Config, secretKeys: ReadonlySet<string>): string[] {
  return [...secretKeys]
    .map((key) => key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], config))
    .filter((v): v is string => typeof v === 'string' && v !== '');
}
