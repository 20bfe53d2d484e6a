import { createRequire } from 'node:module';
import { TABLE_HEADERS } from '../cli/format-meeting.js';
import { ONE_CELL_GLOB_CLASS } from '../cli/narrow-width.js';
import { listJsonQuery } from '../store/sqlite-meeting-list.js';
import { listTableQuery } from '../store/sqlite-meeting-table.js';
import type { TimedCommand } from './time-process.js';

const require = createRequire(import.meta.url);

/**
 * Floors for the CLI bench's goals: bare CommonJS scripts that do only the work of a command,
 * with the same settings rolplay uses (better-sqlite3's addon by path, a 512 KiB page cache, a
 * young generation kept at its first size, blocking writes in 64 KiB pieces) and the very query
 * rolplay runs. What a command costs beyond its floor is rolplay's own: the launcher, commander,
 * the config. A goal below its floor cannot be met by the CLI on that machine.
 */
export function cliFloors(): TimedCommand[] {
  const setup = `const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
    const open = (dataDir) => new Database(require('node:path').join(dataDir, 'rolplay.db'), { nativeBinding: ${JSON.stringify(require.resolve('better-sqlite3/build/Release/better_sqlite3.node'))} });
    const out = (text) => process.stdout.write(text);
    process.stdout._handle?.setBlocking?.(true);`;
  const listing = `const db = open(process.argv[1]);
    db.pragma('cache_size = -512');
    require('node:v8').setFlagsFromString('--semi-space-growth-factor=1');
    const { sql, params } = JSON.parse(process.argv[2]);`;
  const json = `${setup} ${listing}
    let text = '[', first = true;
    for (const row of db.prepare(sql).pluck().iterate(...params)) {
      text += first ? row : ',' + row; first = false;
      if (text.length >= 65536) { out(text); text = ''; }
    }
    out(text + ']\\n');`;
  const table = `${setup} ${listing}
    const pad2 = (n) => (n < 10 ? '0' + n : String(n));
    const time = (ms) => { const d = new Date(ms); return d.getFullYear() + '-' + pad2(d.getMonth() + 1) + '-' + pad2(d.getDate()) + ' ' + pad2(d.getHours()) + ':' + pad2(d.getMinutes()); };
    let text = '';
    for (const r of db.prepare(sql).raw().iterate(...params)) {
      text += r[0] + '  ' + time(r[1]) + '  ' + r[2] + '\\n';
      if (text.length >= 65536) { out(text); text = ''; }
    }
    out(text);`;
  const users = `${setup}
    const { dataDir } = JSON.parse(require('node:fs').readFileSync(process.env.ROLPLAY_CONFIG, 'utf8'));
    const rows = open(dataDir).prepare('select * from users order by email').all();
    out(rows.map((u) => u.email + '  ' + u.name + '  ' + u.phone + '  ' + u.timezone).join('\\n') + '\\n');`;
  const jsonQuery = JSON.stringify(listJsonQuery({}));
  const tableQuery = JSON.stringify(listTableQuery({}, { headers: TABLE_HEADERS, oneCellGlobClass: ONE_CELL_GLOB_CLASS }));
  return [
    { args: [], label: 'floor: `--json`\'s query, bare', argv: (dataDir) => [process.execPath, '-e', json, dataDir, jsonQuery] },
    { args: [], label: 'floor: the table\'s query, bare', argv: (dataDir) => [process.execPath, '-e', table, dataDir, tableQuery] },
    { args: [], label: 'floor: config, SQLite, users, bare', argv: () => [process.execPath, '-e', users] },
  ];
}
