// What an operator reads of a session in the Temporal UI (its current details) and in its
// status query: turns taken, what is waiting, and the tokens it used with their estimated
// cost. No message text: the conversation stays in the encrypted payloads.
import type { ModelPrice, Role } from '../contracts/domain.ts';
import type { SessionStatus } from '../contracts/session.ts';
import { describeUsage, estimateCostUsd } from '../pure/llm-cost.ts';

export function withCost(status: SessionStatus, price: ModelPrice | undefined): SessionStatus {
  return price ? { ...status, estimatedCostUsd: estimateCostUsd(status.usage, price) } : status;
}

export function sessionDetails(status: SessionStatus, price: ModelPrice | undefined, lastTurnAt: Date): string {
  const who: Record<Role, string> = { owner: 'owner', external: 'contact' };
  return [
    `**${who[status.role]}** · turn ${status.turn} · ${status.busy ? 'answering' : 'idle'}` +
      (status.queued ? ` · ${status.queued} waiting` : ''),
    `Last turn: ${lastTurnAt.toISOString().slice(0, 16).replace('T', ' ')} UTC · ${status.historyMessages} messages kept`,
    `Usage since the session started: ${describeUsage(status.usage, price)}`,
  ].join('\n\n');
}
