// A negotiation's verdict as a tool's result: what it accepted and what happens now, or
// why it refused (the model reads it as an error and says so), or that it is over.
import type { Verdict } from '../../clients/negotiations.ts';
import { NeedsClarification } from './types.ts';
import type { ToolContext } from './types.ts';

export async function answerWith(ctx: ToolContext, taskId: string, verdict: Verdict): Promise<string> {
  if (verdict.outcome === 'accepted') return verdict.text;
  if (verdict.outcome === 'rejected') throw new NeedsClarification(`Rejected: ${verdict.reason}`);
  const row = await ctx.db.negotiation.findUnique({ where: { id: taskId } });
  throw new NeedsClarification(`Rejected: conversation ${taskId} is already ${row?.status ?? 'over'}.`);
}
