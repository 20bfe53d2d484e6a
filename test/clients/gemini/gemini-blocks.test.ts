import { describe, expect, it } from 'vitest';
import { geminiModelWorld, planRequest } from '../../helpers/gemini-model-world.js';
import { ModelBlockedError, ModelOutputError, isModelRefusal } from '../../../src/clients/gemini/language-model.js';
import { ProviderError, isRetryable } from '../../../src/support/errors.js';

const w = geminiModelWorld();
const model = w.model.bind(w);

const chat = { system: 's', contents: [{ role: 'user' as const, text: 'x' }] };
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

describe('Gemini refusals and cut answers', () => {
  it.each(['SAFETY', 'PROHIBITED_CONTENT', 'OTHER', 'BLOCKLIST'])('a prompt blocked with %s is a final GEMINI_BLOCKED error, asked once', async (reason) => {
    w.sim.script({ blocked: reason });
    const error = await failure(model().generateText(chat)) as ModelBlockedError;
    expect(error).toBeInstanceOf(ModelBlockedError);
    expect(error).toMatchObject({ code: 'GEMINI_BLOCKED', stage: 'prompt', reason, retryable: false, provider: 'gemini' });
    expect(isRetryable(error)).toBe(false);
    expect(error.message).toMatch(/^Gemini blocked the prompt/);
    expect(w.sim.calls).toHaveLength(1);
  });

  it.each(['SAFETY', 'RECITATION', 'SPII', 'PROHIBITED_CONTENT'])('an answer stopped with %s is final, and its partial text is never used', async (finish) => {
    w.sim.script({ finish: finish as 'SAFETY', text: 'Here is how to' });
    const error = await failure(model().generateText(chat)) as ModelBlockedError;
    expect(error).toMatchObject({ code: 'GEMINI_BLOCKED', stage: 'answer', reason: finish, retryable: false });
    expect(isModelRefusal(error)).toBe(true);
    expect(w.sim.calls).toHaveLength(1);
  });

  it('a blocked structured answer is final too (no second generation)', async () => {
    w.sim.script({ finish: 'SAFETY' });
    await expect(model().generateJson(planRequest)).rejects.toBeInstanceOf(ModelBlockedError);
    expect(w.sim.calls).toHaveLength(1);
  });

  it('an OTHER finish without content stays a retryable unusable output', async () => {
    w.sim.script({ finish: 'OTHER' });
    const error = await failure(model().generateText(chat));
    expect(error).toBeInstanceOf(ModelOutputError);
    expect(isRetryable(error)).toBe(true);
  });

  it('never returns thought parts as the answer, in text or JSON', async () => {
    w.sim.script({ text: 'Ask about budget first.', thoughts: '**Planning** I should tell them to ask about budget.' });
    expect(await model().generateText(chat)).toBe('Ask about budget first.');
    w.sim.script({ patch: {}, thoughts: '{"not": "the plan"}' });
    const plan = await model().generateJson(planRequest);
    expect(plan.steps).toHaveLength(3);
    expect(w.sim.requests.at(-1)!.body).not.toContain('thought');
  });

  it('sends a maxOutputTokens, and asks a cut JSON answer once more with four times the limit', async () => {
    w.sim.script({ patch: {}, thinkingTokens: 900 });
    const plan = await model({ maxOutputTokens: 1000 }).generateJson(planRequest);
    expect(plan.steps).toHaveLength(3);
    expect(w.sim.calls.map((c) => c.generationConfig.maxOutputTokens)).toEqual([1000, 4000]);
  });

  it('a thinking model that spends the whole limit on thoughts (no parts) is retried once with a higher limit', async () => {
    w.sim.script({ text: 'unused', thinkingTokens: 10_000 }, { text: 'Open with a question.' });
    expect(await model({ maxOutputTokens: 2000 }).generateText(chat)).toBe('Open with a question.');
    expect(w.sim.calls.map((c) => c.generationConfig.maxOutputTokens)).toEqual([2000, 8000]);
  });

  it('a second cut is a final GEMINI_MAX_TOKENS error naming the limit', async () => {
    w.sim.script({ patch: {}, thinkingTokens: 100_000 }, { patch: {}, thinkingTokens: 100_000 }, { patch: {} });
    const error = await failure(model({ maxOutputTokens: 1000 }).generateJson(planRequest)) as ProviderError;
    expect(error).toMatchObject({ code: 'GEMINI_MAX_TOKENS', retryable: false, provider: 'gemini' });
    expect(error.message).toMatch(/maxOutputTokens 4000/);
    expect(isModelRefusal(error)).toBe(true);
    expect(w.sim.calls).toHaveLength(2);
  });

  it('a cut chat answer that has text is used as it is, without a second call', async () => {
    w.sim.script({ finish: 'MAX_TOKENS', text: 'Start by asking what changed since' });
    expect(await model().generateText(chat)).toBe('Start by asking what changed since');
    expect(w.sim.calls).toHaveLength(1);
  });
});
