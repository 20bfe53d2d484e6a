import { parsePhone } from '../domain/phone.js';
import { finishConfig, validateConfig, type LoadConfigOptions, type LoadedConfig } from './validate-config.js';

export type { LoadConfigOptions, LoadedConfig } from './validate-config.js';

/**
 * Loads and checks the config (file, environment, schema, phone numbers): throws a ConfigError
 * with one line per problem. The CLI calls validateConfig and finishConfig itself, loading the
 * phone parser only when the config holds a number to parse (see cli-context.ts).
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  return finishConfig(validateConfig(options), parsePhone);
}
