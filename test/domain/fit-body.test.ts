import { describe, expect, it } from 'vitest';
import { CRM_BODY_BUDGET, HUBSPOT_TEXT_LIMIT, fitBody, shortenMiddle, textField } from '../../src/domain/fit-body.js';
import { noteBody, taskBody } from '../../src/domain/follow-up-text.js';
import type { Outcome } from '../../src/domain/outcome.js';

const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const hasLoneSurrogate = (t: string) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(t);

describe('shortenMiddle', () => {
  it('keeps short text whole, and keeps the head and the tail of long text within the escaped length', () => {
    expect(shortenMiddle('short', 100)).toBe('short');
    const text = `HEAD ${'x&'.repeat(5000)} TAIL`;
    const cut = shortenMiddle(text, 500, esc);
    expect(esc(cut).length).toBeLessThanOrEqual(500);
    expect(cut.startsWith('HEAD')).toBe(true);
    expect(cut.endsWith('TAIL')).toBe(true);
    expect(cut).toMatch(/\[… [\d,]+ characters left out …\]/);
  });

  it('never splits a surrogate pair', () => {
    const cut = shortenMiddle('😀'.repeat(1000), 301);
    expect(cut.length).toBeLessThanOrEqual(301);
    expect(hasLoneSurrogate(cut)).toBe(false);
  });
});

describe('fitBody', () => {
  it('shortens the longest field first and never touches literal parts', () => {
    const parts = ['<p>', textField('a'.repeat(300)), '</p><p>', textField('b'.repeat(5000)), ' [marker]</p>'];
    const body = fitBody(parts, 1000, esc);
    expect(body.length).toBeLessThanOrEqual(1000);
    expect(body).toContain('a'.repeat(300));
    expect(body.endsWith(' [marker]</p>')).toBe(true);
  });
});

describe('CRM bodies stay under HubSpot\'s limit with the marker last', () => {
  const worst: Outcome = {
    result: '"'.repeat(2000),
    nextSteps: Array.from({ length: 10 }, (_, i) => ({ action: `${i}${'<'.repeat(499)}`, due: '2026-03-01' })),
    sentiment: 'positive',
    source: 'model',
    reply: `START ${'&'.repeat(100_000)} END`,
  };

  it('a note with every field at its longest and escaping at its worst', () => {
    const body = noteBody({ meetingId: 42, title: `T${"'".repeat(20_000)}`, startAt: 0, endAt: 3_600_000, timeZone: 'UTC', outcome: worst, planSummary: '>'.repeat(2000), salesperson: 'S'.repeat(5000) });
    expect(body.length).toBeLessThanOrEqual(CRM_BODY_BUDGET);
    expect(body.endsWith(' [rolplay:meeting:42]</p>')).toBe(true);
    expect(body).toContain('START');
    expect(body).toContain('END</p>');
    // Cut before escaping: no entity is split.
    expect(body.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
  });

  it('a short note is not changed by the fitting', () => {
    const outcome: Outcome = { result: 'Pilot', nextSteps: [], sentiment: 'unknown', source: 'done', reply: 'Done' };
    const body = noteBody({ meetingId: 1, title: 'Review', startAt: 0, endAt: 0, timeZone: 'UTC', outcome, planSummary: null, salesperson: 'Sam' });
    expect(body).not.toContain('left out');
    expect(body.split('\n')).toHaveLength(4);
  });

  it('a task body with a huge title', () => {
    const body = taskBody({ meetingId: 7, stepIndex: 2, action: 'Send the <proposal>', title: 'Q'.repeat(200_000), client: 'Ann' });
    expect(body.length).toBeLessThanOrEqual(HUBSPOT_TEXT_LIMIT);
    expect(body.startsWith('<p>Send the &lt;proposal&gt;</p>')).toBe(true);
    expect(body.endsWith(' with Ann. [rolplay:meeting:7:step:2]</p>')).toBe(true);
  });
});
