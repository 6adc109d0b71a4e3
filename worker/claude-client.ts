import Anthropic from '@anthropic-ai/sdk';
import type { Config } from '../infra/config.ts';

/** Temporal owns retries of Claude calls (with backoff and `retry-after`), so the SDK does not retry. */
export function createClaudeClient(config: Pick<Config, 'anthropicApiKey' | 'anthropicBaseUrl'>): Anthropic {
  return new Anthropic({ apiKey: config.anthropicApiKey, baseURL: config.anthropicBaseUrl, maxRetries: 0 });
}
