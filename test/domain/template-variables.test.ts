import { describe, expect, it } from 'vitest';
import { flattenTemplateVariable } from '../../src/domain/template-variables.js';

describe('flattenTemplateVariable', () => {
  it('removes newlines, tabs and long space runs', () => {
    const out = flattenTemplateVariable('Renewal\r\ncall\twith     Acme\n\nnext week', 100);
    expect(out).toBe('Renewal call with Acme next week');
    expect(out).not.toMatch(/[\n\r\t]| {5,}/);
  });

  it('cuts long text at a word boundary with an ellipsis, within maxLen', () => {
    const out = flattenTemplateVariable('the quick brown fox jumps over the lazy dog', 20);
    expect(out.length).toBeLessThanOrEqual(20);
    expect(out).toBe('the quick brown fox…');
  });

  it('cuts one long word between graphemes, never inside an emoji', () => {
    const out = flattenTemplateVariable('😀'.repeat(10), 6);
    expect(out).toBe('😀😀…');
    expect(flattenTemplateVariable('abcdefghij', 1)).toBe('a');
  });

  it('never returns an empty variable (WhatsApp rejects those)', () => {
    expect(flattenTemplateVariable(' \n\t ', 10)).toBe('-');
  });
});
