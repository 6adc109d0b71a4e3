// Token use in money, for operators: an estimate from the configured price (the real
// bill is Anthropic's). Prompt caching: writes cost 1.25× the input price, reads 0.1×.
import type { ModelPrice, TokenUsage } from '../contracts/domain.ts';

export function estimateCostUsd(usage: TokenUsage, price: ModelPrice): number {
  const input = usage.inputTokens + usage.cacheCreationInputTokens * 1.25 + usage.cacheReadInputTokens * 0.1;
  return (input * price.inputPerMtok + usage.outputTokens * price.outputPerMtok) / 1_000_000;
}

const count = (n: number) => n.toLocaleString('en-US');

/** "12,345 tokens in (10,000 read from cache) / 678 out, ≈ $0.0123" */
export function describeUsage(usage: TokenUsage, price?: ModelPrice): string {
  const input = usage.inputTokens + usage.cacheCreationInputTokens + usage.cacheReadInputTokens;
  const cached = usage.cacheReadInputTokens ? ` (${count(usage.cacheReadInputTokens)} read from cache)` : '';
  const cost = price ? `, ≈ $${estimateCostUsd(usage, price).toFixed(4)}` : '';
  return `${count(input)} tokens in${cached} / ${count(usage.outputTokens)} out${cost}`;
}
