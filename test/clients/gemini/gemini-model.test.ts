import { describe, expect, it } from 'vitest';
import { geminiModelWorld, planRequest } from '../../helpers/gemini-model-world.js';
import { ModelOutputError } from '../../../src/clients/gemini/language-model.js';
import { ProviderError } from '../../../src/support/errors.js';
import { captureLogger, duplicateKeys } from '../../helpers/log-capture.js';

const w = geminiModelWorld();
const model = w.model.bind(w);


describe('Gemini model over @google/genai', () => {
  it('sends the model, API key, system instruction and an upper-case response schema, and parses the JSON', async () => {
    const plan = await model().generateJson(planRequest);
    expect(plan.steps).toHaveLength(3);
    const req = w.sim.requests[0]!;
    expect(req.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(req.headers['x-goog-api-key']).toBe(w.sim.apiKey);
    const body = JSON.parse(req.body);
    expect(body.systemInstruction.parts[0].text).toBe('plan');
    expect(body.generationConfig.responseMimeType).toBe('application/json');
    expect(body.generationConfig.responseSchema.type).toBe('OBJECT');
    expect(body.generationConfig.responseSchema.properties.steps.type).toBe('ARRAY');
  });

  it('returns plain text for conversation turns', async () => {
    w.sim.script({ text: '  Ask about budget first.  ' });
    const text = await model().generateText({ system: 's', contents: [{ role: 'user', text: 'hi' }, { role: 'model', text: 'hello' }, { role: 'user', text: 'tips?' }] });
    expect(text).toBe('Ask about budget first.');
    expect(w.sim.calls[0]!.contents.map((c) => c.role)).toEqual(['user', 'model', 'user']);
  });

  it('refuses output that is not JSON or misses fields with ModelOutputError', async () => {
    w.sim.script({ text: 'Sure! Here is your plan: ...' }, { patch: { steps: ['only one'] } });
    await expect(model().generateJson(planRequest)).rejects.toBeInstanceOf(ModelOutputError);
    const second = await model().generateJson(planRequest).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(ModelOutputError);
    expect((second as ModelOutputError).reason).toMatch(/steps/);
  });


  it('retries a 429 after the RetryInfo delay the server asked for', async () => {
    w.sim.script({ error: 429, retryDelaySeconds: 0.2 }, { text: 'ok' });
    const started = Date.now();
    expect(await model({ backoffBaseMs: 1 }).generateText({ system: 's', contents: [{ role: 'user', text: 'x' }] })).toBe('ok');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(w.sim.calls).toHaveLength(2);
  });

  it('hands a long server-requested wait back to the caller as a retryable ProviderError', async () => {
    w.sim.script({ error: 429, retryDelaySeconds: 37 });
    const error = await model().generateText({ system: 's', contents: [{ role: 'user', text: 'x' }] }).catch((e: unknown) => e) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: 'gemini', retryable: true, status: 429, retryAfterMs: 37_000 });
    expect(w.sim.calls).toHaveLength(1);
  });

  it('uses a Retry-After header when there is no RetryInfo', async () => {
    w.sim.script({ error: 503, retryAfterHeader: '45' });
    const error = await model().generateText({ system: 's', contents: [{ role: 'user', text: 'x' }] }).catch((e: unknown) => e) as ProviderError;
    expect(error).toMatchObject({ retryable: true, status: 503, retryAfterMs: 45_000 });
  });

  it('logs each retry as a warning with the error (err), like the other warnings', async () => {
    w.sim.script({ error: 503 }, { text: 'ok' });
    const log = captureLogger('warn');
    expect(await model({ logger: log.logger }).generateText({ system: 's', contents: [{ role: 'user', text: 'x' }] })).toBe('ok');
    const [warning, ...rest] = log.records();
    expect(rest).toEqual([]);
    expect(warning).toMatchObject({ msg: 'Gemini call failed; retrying', status: 503, attempt: 1 });
    expect(warning!.err).toEqual(expect.stringMatching(/503/));
    expect(JSON.stringify(warning)).not.toContain(w.sim.apiKey);
    for (const line of log.lines()) expect(duplicateKeys(line)).toEqual([]);
  });

  it('retries 500s a bounded number of times, then gives up retryable', async () => {
    w.sim.script({ error: 500 }, { error: 500 }, { error: 500 }, { text: 'never reached' });
    const error = await model({ maxRetries: 2 }).generateText({ system: 's', contents: [{ role: 'user', text: 'x' }] }).catch((e: unknown) => e) as ProviderError;
    expect(error).toMatchObject({ retryable: true, status: 500 });
    expect(w.sim.calls).toHaveLength(3);
  });

  it('names gemini.apiKey for a wrong key without echoing it', async () => {
    const error = await model({ apiKey: 'AIza-wrong-key' }).generateText({ system: 's', contents: [{ role: 'user', text: 'x' }] }).catch((e: unknown) => e) as ProviderError;
    expect(error).toMatchObject({ retryable: false, status: 400, code: 'GEMINI_AUTH' });
    expect(error.message).toMatch(/gemini\.apiKey/);
    expect(error.message).toMatch(/GEMINI_API_KEY/);
    expect(error.message).not.toContain('AIza-wrong-key');
  });

  it('names gemini.model for an unknown model', async () => {
    const error = await model({ model: 'gemini-0.1-nope' }).generateText({ system: 's', contents: [{ role: 'user', text: 'x' }] }).catch((e: unknown) => e) as ProviderError;
    expect(error).toMatchObject({ retryable: false, status: 404 });
    expect(error.message).toMatch(/gemini\.model/);
  });

  it('times out a call that takes longer than gemini.timeoutSeconds, retryable', async () => {
    w.sim.sim.setFaults({ rate: 1, kinds: ['slow'], slowMs: 2000 });
    const error = await model({ timeoutMs: 100, maxRetries: 0 }).generateText({ system: 's', contents: [{ role: 'user', text: 'x' }] }).catch((e: unknown) => e) as ProviderError;
    expect(error).toMatchObject({ provider: 'gemini', retryable: true, code: 'GEMINI_TIMEOUT' });
    expect(error.message).toMatch(/gemini\.timeoutSeconds/);
  });

  it('reports an unreachable endpoint naming gemini.baseUrl', async () => {
    const url = w.sim.url;
    await w.sim.close();
    const error = await model({ baseUrl: url, maxRetries: 0 }).generateText({ system: 's', contents: [{ role: 'user', text: 'x' }] }).catch((e: unknown) => e) as ProviderError;
    expect(error).toMatchObject({ retryable: true });
    expect(error.message).toMatch(/gemini\.baseUrl/);
  });

  it('keeps at most gemini.concurrency calls in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    w.sim.sim.server.on('request', (_req, res) => {
      peak = Math.max(peak, ++inFlight);
      res.on('finish', () => inFlight--);
    });
    w.sim.sim.setFaults({ rate: 1, kinds: ['slow'], slowMs: 30 });
    const m = model({ concurrency: 2 });
    await Promise.all(Array.from({ length: 10 }, () => m.generateText({ system: 's', contents: [{ role: 'user', text: 'x' }] })));
    expect(peak).toBe(2);
  });
});
