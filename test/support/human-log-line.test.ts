import { describe, expect, it } from 'vitest';
import { humanLogLine } from '../../src/support/human-log-line.js';

describe('humanLogLine', () => {
  it('writes a warning as one line for a person: level, message, error, then the fields', () => {
    const json = JSON.stringify({ level: 40, time: 1767607200000, component: 'gemini', err: 'Gemini answered HTTP 503', status: 503, attempt: 1, msg: 'Gemini call failed; retrying' });
    expect(humanLogLine(json)).toBe('rolplay: warning: Gemini call failed; retrying: Gemini answered HTTP 503 (component=gemini, status=503, attempt=1)');
  });

  it('reads err objects, leaves out an empty field list, and names other levels', () => {
    expect(humanLogLine(JSON.stringify({ level: 50, time: 1, err: { type: 'Error', message: 'disk full' }, msg: 'job failed' }))).toBe('rolplay: error: job failed: disk full');
    expect(humanLogLine(JSON.stringify({ level: 30, time: 1, msg: 'hello' }))).toBe('rolplay: info: hello');
    expect(humanLogLine(JSON.stringify({ level: 40, time: 1, msg: 'x', err: 'quota exceeded.\n* metric: y\n' }))).toBe('rolplay: warning: x: quota exceeded. * metric: y');
    expect(humanLogLine(JSON.stringify({ level: 20, time: 1, msg: 'x', ids: [1, 2] }))).toBe('rolplay: debug: x (ids=[1,2])');
  });
});
