import { describe, expect, it } from 'vitest';
import { geminiModelWorld } from '../../helpers/gemini-model-world.js';
import { ModelBlockedError } from '../../../src/clients/gemini/language-model.js';
import type { GeminiTokenUsage } from '../../../src/support/metrics.js';

const w = geminiModelWorld();
const ask = { system: 's', contents: [{ role: 'user' as const, text: 'How do I open the call with a new client?' }] };

/** The tokens behind rolplay_gemini_tokens_total, read from usageMetadata by its public field names. */
describe('Gemini token usage', () => {
  it('reports promptTokenCount, candidatesTokenCount and thoughtsTokenCount of every answer', async () => {
    const seen: GeminiTokenUsage[] = [];
    w.sim.script({ text: 'Open with their last quarter numbers.', thinkingTokens: 30 }, { text: 'Then ask about budget.' });
    const model = w.model({ onUsage: (u) => seen.push(u) });
    await model.generateText(ask);
    await model.generateText(ask);
    expect(seen).toHaveLength(2);
    expect(seen[0]!.prompt).toBeGreaterThan(0);
    expect(seen[0]!.output).toBeGreaterThan(0);
    expect(seen[0]!.thoughts).toBe(30);
    expect(seen[1]!.output).toBeGreaterThan(0);
  });

  it('counts the prompt of a blocked request too (it was billed), with no output', async () => {
    const seen: GeminiTokenUsage[] = [];
    w.sim.script({ blocked: 'SAFETY' });
    await expect(w.model({ onUsage: (u) => seen.push(u) }).generateText(ask)).rejects.toBeInstanceOf(ModelBlockedError);
    expect(seen).toEqual([{ prompt: expect.any(Number), output: 0, thoughts: 0 }]);
    expect(seen[0]!.prompt).toBeGreaterThan(0);
  });
});
