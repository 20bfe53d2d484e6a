import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGeminiSimulator, type GeminiSim } from '../../src/sandbox/gemini-simulator.js';
import { PLAN_RESPONSE_SCHEMA, parsePlan } from '../../src/domain/plan.js';
import { SCORE_RESPONSE_SCHEMA, parseScore } from '../../src/domain/roleplay-score.js';
import { buildPlanPrompt } from '../../src/domain/plan-prompt.js';
import { buildRoleplayRequest } from '../../src/domain/conversation-prompts.js';
import type { MeetingBrief } from '../../src/domain/meeting-brief.js';

let sim: GeminiSim;
beforeEach(async () => {
  sim = await startGeminiSimulator();
});
afterEach(async () => {
  await sim.close();
});

interface GoogleReply {
  candidates: Array<{ content: { parts: Array<{ text: string }> }; finishReason: string }>;
  usageMetadata: { promptTokenCount: number; candidatesTokenCount: number; thoughtsTokenCount?: number; totalTokenCount: number };
  error: { code: number; status: string; message: string; details: Array<{ '@type': string; reason?: string; retryDelay?: string }> };
}

async function post(path: string, body: unknown, headers: Record<string, string> = { 'x-goog-api-key': sim.apiKey }) {
  const res = await fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() as GoogleReply };
}

const brief: MeetingBrief = {
  title: 'Acme renewal', bodyPreview: 'Discuss the 2026 renewal and the new analytics module.', location: null,
  startAt: Date.UTC(2026, 0, 6, 15), endAt: Date.UTC(2026, 0, 6, 16), timeZone: 'Europe/Madrid', salespersonName: 'Sam Seller',
  clients: [{ name: 'Ann Lee', email: 'ann@acme.example', company: 'Acme' }], crm: [],
};
const path = '/v1beta/models/gemini-2.5-flash:generateContent';
const textOf = (body: GoogleReply) => body.candidates[0]!.content.parts[0]!.text;

describe('Gemini simulator', () => {
  it('answers like Google without a key (403), with a wrong key (400 API_KEY_INVALID) and for an unknown model (404)', async () => {
    const req = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };
    expect((await post(path, req, {})).body.error).toMatchObject({ code: 403, status: 'PERMISSION_DENIED' });
    const wrong = await post(path, req, { 'x-goog-api-key': 'nope' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details[0]!.reason).toBe('API_KEY_INVALID');
    expect((await post('/v1beta/models/gemini-9:generateContent', req)).body.error).toMatchObject({ code: 404, status: 'NOT_FOUND' });
    expect((await post(path, { contents: [] })).body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
  });

  it('produces JSON that fits the requested schema, built from the prompt, with usage metadata', async () => {
    const { system, prompt } = buildPlanPrompt(brief);
    const res = await post(path, {
      systemInstruction: { parts: [{ text: system }] },
      contents: [{ role: 'user', parts: [{ text: prompt }] }],
      generationConfig: { responseMimeType: 'application/json', responseSchema: PLAN_RESPONSE_SCHEMA },
    });
    const plan = parsePlan(JSON.parse(textOf(res.body)));
    expect(plan.greeting).toContain('Sam');
    expect(plan.summary).toContain('Ann Lee');
    expect(plan.summary).toContain('Acme renewal');
    const usage = res.body.usageMetadata;
    // gemini-2.5-* think by default: thought tokens are part of the total.
    expect(usage.thoughtsTokenCount).toBeGreaterThan(0);
    expect(usage.totalTokenCount).toBe(usage.promptTokenCount + usage.candidatesTokenCount + usage.thoughtsTokenCount!);
    expect(res.body.candidates[0]!.finishReason).toBe('STOP');
  });

  it('is deterministic and scores a role-play transcript within the rubric', async () => {
    const req = {
      contents: [{ role: 'user', parts: [{ text: '<data name="roleplay_transcript">\nCLIENT: Why you?\nSALESPERSON: What matters most to you?\n</data>' }] }],
      generationConfig: { responseMimeType: 'application/json', responseSchema: SCORE_RESPONSE_SCHEMA },
    };
    const a = textOf((await post(path, req)).body);
    const b = textOf((await post(path, req)).body);
    expect(a).toBe(b);
    const score = parseScore(JSON.parse(a));
    expect(score.tips).toHaveLength(2);
  });

  it('plays the client in role-play requests', async () => {
    const { system, contents } = buildRoleplayRequest(brief, 'hard', [], 'Hi Ann, thanks for your time.', 600);
    const res = await post(path, { systemInstruction: { parts: [{ text: system }] }, contents: contents.map((c) => ({ role: c.role, parts: [{ text: c.text }] })) });
    expect(textOf(res.body)).toMatch(/Acme|provider|minutes/);
  });

  it('replays scripted answers and errors in order, then falls back to defaults', async () => {
    sim.script({ error: 429, retryDelaySeconds: 7 }, { text: 'scripted' }, (call) => ({ text: `echo ${call.contents.length}` }));
    const req = { contents: [{ role: 'user', parts: [{ text: 'x' }] }] };
    const limited = await post(path, req);
    expect(limited.status).toBe(429);
    expect(limited.body.error.status).toBe('RESOURCE_EXHAUSTED');
    expect(limited.body.error.details.find((d) => d['@type'].endsWith('RetryInfo'))!.retryDelay).toBe('7s');
    expect(textOf((await post(path, req)).body)).toBe('scripted');
    expect(textOf((await post(path, req)).body)).toBe('echo 1');
    expect(sim.pending()).toBe(0);
    expect(textOf((await post(path, req)).body).length).toBeGreaterThan(20);
  });
});
