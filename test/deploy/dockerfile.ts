/**
 * A small Dockerfile reader for the tests: instructions with continuation lines joined and
 * comments dropped, split into build stages.
 * (https://docs.docker.com/reference/dockerfile/: `\` continues a line; `#` at the start of a
 * line is a comment, including between continuation lines.)
 */
export interface Instruction { keyword: string; args: string }
export interface Stage { from: string; name: string | null; instructions: Instruction[] }

export function parseDockerfile(text: string): Stage[] {
  const instructions: Instruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    if (full === '') continue;
    const m = /^(\S+)\s*(.*)$/.exec(full)!;
    instructions.push({ keyword: m[1]!.toUpperCase(), args: m[2]! });
  }
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args)!;
      stages.push({ from: m[1]!, name: m[2] ?? null, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(ins);
    }
  }
  return stages;
}

export const argsOf = (stage: Stage, keyword: string): string[] =>
  stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

/** ENV NAME=value pairs (the `ENV NAME value` form is deprecated and not used here). */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const args of argsOf(stage, 'ENV')) {
    for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) env[m[1]!] = m[2]!.replace(/^"|"$/g, '');
  }
  return env;
}

/** The JSON (exec) form of CMD, ENTRYPOINT or HEALTHCHECK ... CMD. */
export function execForm(args: string): string[] {
  const json = args.slice(args.indexOf('['));
  return JSON.parse(json) as string[];
}

/** `--name=value` options before the command of a HEALTHCHECK. */
export function options(args: string): Record<string, string> {
  return Object.fromEntries([...args.matchAll(/--([a-z-]+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
}
