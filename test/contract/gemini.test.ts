import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGeminiModel } from '../../src/clients/gemini/gemini-model.js';
import { ModelBlockedError } from '../../src/clients/gemini/language-model.js';
import { startGeminiSimulator, type GeminiScriptItem, type GeminiSim } from '../../src/sandbox/gemini-simulator.js';
import { systemClock } from '../../src/support/clock.js';
import { silentLogger } from '../../src/support/logger.js';
import { ProviderError } from '../../src/support/errors.js';
import { fixtureNames, loadFixture, shapeDifferences, type ProviderFixture } from '../helpers/provider-fixtures.js';

/**
 * Gemini's answers as Google's recordings, test data and users' reports show them
 * (test/fixtures/providers/gemini/, each naming its source): (a) what rolplay's client makes of
 * each, through the real @google/genai SDK served the fixture as it is; (b) that the simulator
 * answers the same case in the same shape.
 */
let server: Server;
let serving: ProviderFixture;
let url: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(serving.status ?? 200, { 'content-type': 'application/json; charset=UTF-8', ...serving.headers });
      res.end(JSON.stringify(serving.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function clientFor(name: string, model = 'gemini-2.5-flash') {
  serving = loadFixture('gemini', name);
  return createGeminiModel({ apiKey: 'AIza-contract', model, baseUrl: url, timeoutMs: 5000, concurrency: 1, clock: systemClock, logger: silentLogger(), maxRetries: 0 });
}
const chat = { system: 's', contents: [{ role: 'user' as const, text: 'x' }] };
const caught = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

describe('Gemini fixtures through rolplay\'s client', () => {
  it('a plain answer is its text', async () => {
    expect(await clientFor('plain-answer').generateText(chat)).toBe('low');
  });

  it('thought parts never reach the text rolplay uses', async () => {
    expect(await clientFor('answer-with-thoughts').generateText(chat)).toBe('Mountain View');
  });

  it('a blocked prompt is a final GEMINI_BLOCKED error with its reason', async () => {
    expect(await caught(clientFor('blocked-prompt').generateText(chat))).toMatchObject({ code: 'GEMINI_BLOCKED', stage: 'prompt', reason: 'SAFETY', retryable: false });
  });

  it('a SAFETY finish is final, and its partial text is not used', async () => {
    const error = await caught(clientFor('finish-safety', 'gemini-2.0-flash').generateText(chat));
    expect(error).toBeInstanceOf(ModelBlockedError);
    expect(error).toMatchObject({ stage: 'answer', reason: 'SAFETY', retryable: false });
  });

  it('MAX_TOKENS with no parts is asked again with a higher limit, then final', async () => {
    const error = await caught(clientFor('finish-max-tokens').generateText(chat)) as ProviderError;
    expect(error).toMatchObject({ code: 'GEMINI_MAX_TOKENS', retryable: false });
  });

  it('a cut chat answer is used as it is, a cut JSON answer is not', async () => {
    expect(await clientFor('finish-max-tokens-cut').generateText(chat)).toMatch(/bumps into these gas$/);
    const json = { system: 's', prompt: 'x', schema: { type: 'object', properties: { a: { type: 'string' } } }, validate: (v: unknown) => v };
    expect(await caught(clientFor('finish-max-tokens-cut').generateJson(json))).toMatchObject({ code: 'GEMINI_MAX_TOKENS' });
  });

  it('a 429 is retryable after the RetryInfo delay', async () => {
    const error = await caught(clientFor('rate-limited-429').generateText(chat)) as ProviderError;
    expect(error).toMatchObject({ provider: 'gemini', retryable: true, status: 429, retryAfterMs: 47_000 });
    expect(error.message).toMatch(/rate limiting/);
  });
});

/** How to make the simulator produce each fixture's case, and what may differ (and why). */
const CASES: Record<string, { model?: string; maxOutputTokens?: number; item: GeminiScriptItem; loose?: string[]; optional?: string[] }> = {
  'plain-answer': { item: { text: 'low' } },
  // The parts array mixes thought parts and the answer part: only the first has `thought`.
  'answer-with-thoughts': { item: { text: 'Mountain View', thoughts: '**Thinking** the answer is Mountain View.' }, optional: ['candidates[].content.parts[].thought'] },
  // Not verified whether a blocked prompt comes with usage, model version and id (see the fixture's notes).
  'blocked-prompt': { item: { blocked: 'SAFETY' }, optional: ['usageMetadata', 'modelVersion', 'responseId'] },
  // The simulator marks the offending rating `blocked` as Vertex's test data does; this test data has no responseId although 2.0 recordings do.
  'finish-safety': { model: 'gemini-2.0-flash', item: { finish: 'SAFETY', text: 'Safety error incoming in 5, 4' }, optional: ['candidates[].safetyRatings[].blocked', 'responseId'] },
  'finish-max-tokens': { maxOutputTokens: 20, item: { text: 'The sky is blue because', thinkingTokens: 20 } },
  'finish-max-tokens-cut': { maxOutputTokens: 200, item: { text: 'The sky appears blue because of Rayleigh scattering. '.repeat(40), thinkingTokens: 41 } },
  // details[] holds messages of different types: compared one by one below.
  'rate-limited-429': { item: { error: 429, retryDelaySeconds: 47 }, loose: ['error.details'] },
};

describe('the Gemini simulator answers each fixture\'s case in its shape', () => {
  let sim: GeminiSim;
  afterEach(async () => sim?.close());

  it('has a case for every fixture', () => {
    expect(Object.keys(CASES).sort()).toEqual(fixtureNames('gemini'));
  });

  it.each(Object.keys(CASES))('%s', async (name) => {
    const fixture = loadFixture('gemini', name);
    const c = CASES[name]!;
    sim = await startGeminiSimulator();
    sim.script(c.item);
    const res = await fetch(`${sim.url}/v1beta/models/${c.model ?? 'gemini-2.5-flash'}:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': sim.apiKey },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'why is the sky blue?' }] }], generationConfig: c.maxOutputTokens ? { maxOutputTokens: c.maxOutputTokens } : {} }),
    });
    expect(res.status).toBe(fixture.status ?? 200);
    const body = await res.json() as Record<string, unknown>;
    expect(shapeDifferences(body, fixture.body, { loose: c.loose, optional: c.optional })).toEqual([]);
    if (name === 'rate-limited-429') {
      const details = (b: unknown) => ((b as { error: { details: Array<Record<string, unknown>> } }).error.details);
      const expected = details(fixture.body);
      expect(details(body).map((d) => d['@type'])).toEqual(expected.map((d) => d['@type']));
      details(body).forEach((d, i) => expect(shapeDifferences(d, expected[i])).toEqual([]));
    }
  });
});
