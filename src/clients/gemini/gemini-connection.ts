import { GoogleGenAI } from '@google/genai';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Config } from '../../config/schema.js';

/**
 * One @google/genai client and one gate for the process: text, transcription and speech all
 * count against gemini.concurrency ("calls in flight at once across the whole process"), so
 * turning voice replies on does not double what rolplay asks of the key's quota.
 */
export interface GeminiConnection {
  ai: GoogleGenAI;
  limit: LimitFunction;
}

export interface GeminiConnectionOptions {
  apiKey: string;
  /** "" or undefined: Google's endpoint. An http://127.0.0.1:PORT address reaches a simulator. */
  baseUrl?: string;
  timeoutMs: number;
  concurrency: number;
}

export function createGeminiConnection(options: GeminiConnectionOptions): GeminiConnection {
  const ai = new GoogleGenAI({
    apiKey: options.apiKey,
    vertexai: false,
    httpOptions: { ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}), timeout: options.timeoutMs },
  });
  return { ai, limit: pLimit(options.concurrency) };
}

export function geminiConnectionFromConfig(config: Config): GeminiConnection {
  return createGeminiConnection({
    apiKey: config.gemini.apiKey,
    baseUrl: config.gemini.baseUrl || undefined,
    timeoutMs: config.gemini.timeoutSeconds * 1000,
    concurrency: config.gemini.concurrency,
  });
}
