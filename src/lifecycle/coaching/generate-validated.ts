import { ModelOutputError, type JsonRequest, type LanguageModel } from '../../clients/gemini/language-model.js';
import type { Logger } from '../../support/logger.js';

/**
 * Structured output with one more try when the model's answer does not fit the schema. A
 * second miss is thrown (a retryable ModelOutputError): the job backs off and tries later,
 * and nothing unvalidated is ever used.
 */
export async function generateValidated<T>(model: LanguageModel, request: JsonRequest<T>, logger: Logger, what: string): Promise<T> {
  try {
    return await model.generateJson(request);
  } catch (error) {
    if (!(error instanceof ModelOutputError)) throw error;
    logger.warn({ reason: error.reason, what }, 'model output did not fit the schema; asking once more');
  }
  return model.generateJson(request);
}
