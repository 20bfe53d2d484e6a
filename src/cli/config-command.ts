import { Command } from 'commander';
import { cliContext, print, printJson, type CliIo, type GlobalOptions } from './cli-context.js';

export function configCommand(io: CliIo, globals: () => GlobalOptions): Command {
  const config = new Command('config').description('inspect the configuration');
  config.command('show')
    .description('print the effective configuration (secrets redacted) and where each value came from')
    .option('--json', 'print JSON: {file, config, sources}')
    .action(async (opts: { json?: boolean }) => {
      const ctx = await cliContext(globals(), io, 'warn');
      const { redactConfig } = await import('../config/redact.js');
      const redacted = redactConfig(ctx.config);
      if (opts.json) return printJson(io, { file: ctx.loaded.path, config: redacted, sources: ctx.loaded.sources });
      print(io, `# config file: ${ctx.loaded.path ?? '(none: defaults and environment only)'}`);
      for (const [key, value] of flatten(redacted)) {
        const source = ctx.loaded.sources[key] ?? 'default';
        print(io, `${key} = ${JSON.stringify(value)}  (${source})`);
      }
    });
  return config;
}

function flatten(value: unknown, prefix = ''): Array<[string, unknown]> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, value]];
}
