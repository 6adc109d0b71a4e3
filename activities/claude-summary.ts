// The running summary of a session: when the history passes its token budget, the cut
// turns are folded into it by one Claude call (CLAUDE_SUMMARY_MODEL, a smaller model does
// this well), so what the model no longer sees in full is not silently forgotten.
import type Anthropic from '@anthropic-ai/sdk';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Config } from '../infra/config.ts';
import type { Db } from '../infra/db.ts';
import type { SessionActivities, SummarizeInput, SummarizeOutput } from '../contracts/session.ts';
import type { TokenUsage } from '../contracts/domain.ts';
import { roleOf } from '../pure/people.ts';
import { transcriptOf } from '../pure/history-budget.ts';
import { asTemporalFailure } from './claude.ts';
import { rowIdFor } from './tools/call-ids.ts';

export interface SummaryDeps {
  anthropic: Anthropic;
  db: Db;
  config: Pick<Config, 'ownerTelegramId' | 'claudeSummaryModel'>;
}

/** The summary stays a small, stable block at the start of the history. */
const SUMMARY_MAX_TOKENS = 1024;

export const SUMMARY_SYSTEM_PROMPT = `You keep the running summary of a chat between a personal assistant and one person. You get the summary so far and the next part of the conversation, which the assistant will no longer see in full. Write the new summary: everything from the old summary that still matters, plus what the new part adds.

Keep: facts the person stated about themselves, their preferences and plans, names, dates, times, places, numbers, decisions, promises made, tasks, reminders and conversations started, and questions still open. Drop greetings and small talk. Write plain sentences, oldest first, at most about 400 words. Write only the summary.`;

export function createSummaryActivities({ anthropic, db, config }: SummaryDeps) {
  return {
    async summarizeHistory(input: SummarizeInput): Promise<SummarizeOutput> {
      const person = roleOf(input.telegramId, config.ownerTelegramId) === 'owner' ? 'Owner' : 'Person';
      const previous = input.previousSummary.trim() || '(nothing yet)';
      let message: Anthropic.Message;
      try {
        message = await anthropic.messages.create({
          model: config.claudeSummaryModel,
          max_tokens: SUMMARY_MAX_TOKENS,
          system: SUMMARY_SYSTEM_PROMPT,
          messages: [
            {
              role: 'user',
              content: `Summary so far:\n${previous}\n\nNext part of the conversation:\n${transcriptOf(input.messages, person)}`,
            },
          ],
        });
      } catch (err) {
        throw asTemporalFailure(err);
      }
      const usage: TokenUsage = {
        inputTokens: message.usage.input_tokens,
        outputTokens: message.usage.output_tokens,
        cacheCreationInputTokens: message.usage.cache_creation_input_tokens ?? 0,
        cacheReadInputTokens: message.usage.cache_read_input_tokens ?? 0,
      };
      // Keyed by the activity's identity: a retried attempt does not count the call twice.
      const { workflowExecution: run, activityId } = Context.current().info;
      const id = rowIdFor('llm-usage', `${run?.workflowId ?? input.sessionId}/${run?.runId ?? ''}/${activityId}`);
      await db.llmUsage.upsert({
        where: { id },
        update: {},
        create: {
          id,
          sessionId: input.sessionId,
          telegramId: BigInt(input.telegramId),
          model: message.model,
          ...usage,
        },
      });
      const summary = message.content
        .flatMap((b) => (b.type === 'text' ? [b.text] : []))
        .join('\n')
        .trim();
      // An empty summary must never replace a real one; the session keeps its history instead.
      if (!summary) throw ApplicationFailure.nonRetryable('The summariser answered with nothing', 'SummaryEmpty');
      return { summary, usage };
    },
  } satisfies Pick<SessionActivities, 'summarizeHistory'>;
}
