import { afterEach, beforeEach } from 'vitest';
import { createGeminiModel, type GeminiModelOptions } from '../../src/clients/gemini/gemini-model.js';
import type { LanguageModel } from '../../src/clients/gemini/language-model.js';
import { PLAN_RESPONSE_SCHEMA, parsePlan } from '../../src/domain/plan.js';
import { startGeminiSimulator, type GeminiSim } from '../../src/sandbox/gemini-simulator.js';
import { systemClock } from '../../src/support/clock.js';
import { silentLogger } from '../../src/support/logger.js';

/** A Gemini simulator started before each test (closed after it) and the real client pointed at it. */
export function geminiModelWorld(): { readonly sim: GeminiSim; model(overrides?: Partial<GeminiModelOptions>): LanguageModel } {
  let sim: GeminiSim | undefined;
  beforeEach(async () => {
    sim = await startGeminiSimulator();
  });
  afterEach(async () => {
    // A test may have closed it already (to see an unreachable endpoint).
    await sim?.close().catch(() => undefined);
  });
  return {
    get sim() {
      if (!sim) throw new Error('the Gemini simulator runs only inside a test');
      return sim;
    },
    model(overrides = {}) {
      return createGeminiModel({
        apiKey: this.sim.apiKey, model: 'gemini-2.5-flash', baseUrl: this.sim.url, timeoutMs: 5000, concurrency: 4,
        clock: systemClock, logger: silentLogger(), backoffBaseMs: 5, ...overrides,
      });
    },
  };
}

export const planRequest = { system: 'plan', prompt: '<data name="meeting_title">\nRenewal\n</data>', schema: PLAN_RESPONSE_SCHEMA, validate: parsePlan };
