/**
 * A small parser of the Prometheus text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format), strict
 * enough to fail a test on a malformed line: `# HELP` / `# TYPE` comments, then samples
 * `name{label="value",...} value [timestamp]`, label values escaped with \\, \" and \n.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  /** Family name -> counter, gauge, histogram, summary or untyped. */
  types: Map<string, string>;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

export function parsePrometheusText(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  text.split('\n').forEach((line, index) => {
    const fail = (why: string) => new Error(`line ${index + 1}: ${why}: ${JSON.stringify(line)}`);
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
      if (type) types.set(type[1]!, type[2]!);
      else if (!/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* /.test(line) && !/^# /.test(line)) throw fail('bad comment');
      return;
    }
    const name = NAME.exec(line)?.[0];
    if (!name) throw fail('no metric name');
    let i = name.length;
    const labels: Record<string, string> = {};
    if (line[i] === '{') {
      i++;
      while (line[i] !== '}') {
        const label = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(i))?.[0];
        if (!label || line.slice(i + label.length, i + label.length + 2) !== '="') throw fail('bad label');
        i += label.length + 2;
        let value = '';
        for (; line[i] !== '"'; i++) {
          if (i >= line.length) throw fail('unterminated label value');
          if (line[i] === '\\') {
            i++;
            value += line[i] === 'n' ? '\n' : line[i];
          } else value += line[i];
        }
        i++;
        if (label in labels) throw fail(`label ${label} repeated`);
        labels[label] = value;
        if (line[i] === ',') i++;
        else if (line[i] !== '}') throw fail('expected , or }');
      }
      i++;
    }
    const rest = line.slice(i).trim().split(/\s+/);
    if (line[i] !== ' ' || rest.length < 1 || rest.length > 2) throw fail('expected a value');
    samples.push({ name, labels, value: parseValue(rest[0]!, fail) });
  });
  return { types, samples };
}

/**
 * Prometheus reads values with Go's strconv.ParseFloat, which takes Inf and NaN in any case
 * (prom-client writes "Nan" for an empty event-loop histogram).
 */
function parseValue(text: string, fail: (why: string) => Error): number {
  const special = text.toLowerCase();
  if (special === '+inf' || special === 'inf') return Infinity;
  if (special === '-inf') return -Infinity;
  if (special === 'nan') return NaN;
  const n = Number(text);
  if (Number.isNaN(n)) throw fail(`bad value ${text}`);
  return n;
}

/** Samples named `name` whose labels include every pair in `labels`. */
export function samplesOf(exposition: Exposition, name: string, labels: Record<string, string> = {}): Sample[] {
  return exposition.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The one sample named `name` with exactly these labels (undefined when there is none). */
export function valueOf(exposition: Exposition, name: string, labels: Record<string, string> = {}): number | undefined {
  const matches = exposition.samples.filter((s) => s.name === name && sameLabels(s.labels, labels));
  if (matches.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} appears ${matches.length} times`);
  return matches[0]?.value;
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
