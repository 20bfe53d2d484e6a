import { describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { withStatementCache } from '../../src/store/statement-cache.js';

describe('withStatementCache', () => {
  it('reuses prepared statements by SQL text and keeps only the most recent ones', () => {
    const raw = new BetterSqlite3(':memory:');
    const db = withStatementCache(raw, 2);
    const a = db.prepare('select 1');
    expect(db.prepare('select 1')).toBe(a);
    db.prepare('select 2');
    db.prepare('select 3');
    expect(db.prepare('select 1')).not.toBe(a);
    db.close();
  });
});
