// The heartbeat's activities: gather what may need the owner (cheap database reads),
// let Claude decide whether it is worth a message (a forced structured answer, never
// free text), and report — marking each fact so the owner hears about it once.
import type Anthropic from '@anthropic-ai/sdk';
import type { Config } from '../infra/config.ts';
import type { Db } from '../infra/db.ts';
import { nameOf } from './person-name.ts';
import { displayNameOf } from '../pure/people.ts';
import { heartbeatSystemPrompt } from './prompts.ts';
import type { SessionClient } from '../clients/sessions.ts';
import { formatInZone } from '../pure/time-zones.ts';
import { plainHeartbeatReport } from '../pure/heartbeat-report.ts';
import type {
  DecideHeartbeatInput,
  GatherHeartbeatFactsInput,
  HeartbeatActivities,
  HeartbeatDecision,
  HeartbeatFact,
  ReportHeartbeatInput,
} from '../contracts/heartbeat.ts';
import { asTemporalFailure } from './claude.ts';
import { overdueTasks } from './tools/tasks.ts';

export interface HeartbeatDeps {
  db: Db;
  anthropic: Anthropic;
  sessions: SessionClient;
  config: Pick<Config, 'ownerTelegramId' | 'ownerTimeZone' | 'claudeModel'>;
}

/** A one-off reminder this late and still not delivered is reported as missed. */
const REMINDER_GRACE_MS = 15 * 60_000;
const MAX_FACTS = 30;

const REPORT_TOOL: Anthropic.Tool = {
  name: 'heartbeat_report',
  description: 'Your decision for this check: whether to message the owner now, and the message.',
  input_schema: {
    type: 'object',
    properties: {
      notify: { type: 'boolean', description: 'True to send the message to the owner now' },
      message: { type: 'string', description: 'The message for the owner (empty when notify is false)' },
    },
    required: ['notify', 'message'],
  },
};

export function createHeartbeatActivities({ db, anthropic, sessions, config }: HeartbeatDeps) {
  const zone = config.ownerTimeZone;
  return {
    async gatherHeartbeatFacts(input: GatherHeartbeatFactsInput): Promise<HeartbeatFact[]> {
      const now = new Date(input.now);
      const [tasks, stalled, reminders] = await Promise.all([
        overdueTasks(db, input.ownerId, now, true),
        db.negotiation.findMany({
          where: {
            ownerId: BigInt(input.ownerId),
            status: 'awaiting_owner',
            stallNotifiedAt: null,
            updatedAt: { lt: new Date(now.getTime() - input.stallHours * 3600_000) },
          },
          include: { contact: true },
        }),
        db.reminder.findMany({
          where: {
            ownerId: BigInt(input.ownerId),
            kind: 'once',
            status: 'scheduled',
            missedNotifiedAt: null,
            fireAt: { lt: new Date(now.getTime() - REMINDER_GRACE_MS) },
          },
        }),
      ]);
      const facts: HeartbeatFact[] = [
        ...tasks.map((t) => ({
          kind: 'overdue_task' as const,
          id: t.id,
          text: `Task "${t.title}" for ${displayNameOf(t.assignee, `id ${t.assigneeId}`)} was due ${formatInZone(t.dueAt!, zone)} and is still ${t.status.replace('_', ' ')} (task ${t.id}).`,
        })),
        ...stalled.map((c) => ({
          kind: 'stalled_conversation' as const,
          id: c.id,
          text: `The ${c.type} conversation with ${displayNameOf(c.contact, `id ${c.contactId}`)} has been waiting for your decision since ${formatInZone(c.updatedAt, zone)} (conversation ${c.id}).`,
        })),
        ...reminders.map((r) => ({
          kind: 'missed_reminder' as const,
          id: r.id,
          text: `A reminder due ${formatInZone(r.fireAt!, zone)} has not gone out: "${r.text}" (reminder ${r.id}).`,
        })),
      ];
      return facts.slice(0, MAX_FACTS);
    },

    async decideHeartbeat(input: DecideHeartbeatInput): Promise<HeartbeatDecision> {
      const ownerName = await nameOf(db, input.ownerId, 'the owner');
      let message: Anthropic.Message;
      try {
        message = await anthropic.messages.create({
          model: config.claudeModel,
          max_tokens: 1024,
          system: [
            {
              type: 'text',
              text: heartbeatSystemPrompt({
                ownerName,
                ownerTimeZone: zone,
              }),
              cache_control: { type: 'ephemeral' },
            },
          ],
          tools: [REPORT_TOOL],
          tool_choice: { type: 'tool', name: REPORT_TOOL.name },
          messages: [
            {
              role: 'user',
              content: `Now: ${formatInZone(input.now, zone)}.\nFacts found by this check:\n${input.facts.map((f) => `- ${f.text}`).join('\n')}`,
            },
          ],
        });
      } catch (err) {
        throw asTemporalFailure(err);
      }
      await db.llmUsage.create({
        data: {
          sessionId: input.beatId,
          telegramId: BigInt(input.ownerId),
          model: message.model,
          inputTokens: message.usage.input_tokens,
          outputTokens: message.usage.output_tokens,
          cacheCreationInputTokens: message.usage.cache_creation_input_tokens ?? 0,
          cacheReadInputTokens: message.usage.cache_read_input_tokens ?? 0,
        },
      });
      const call = message.content.find((b) => b.type === 'tool_use' && b.name === REPORT_TOOL.name);
      const answer = (call?.type === 'tool_use' ? call.input : {}) as { notify?: unknown; message?: unknown };
      const text = typeof answer.message === 'string' ? answer.message.trim() : '';
      if (typeof answer.notify !== 'boolean' || (answer.notify && !text)) {
        // An answer we cannot read must not hide the facts: they go out as they are.
        return {
          notify: true,
          message: plainHeartbeatReport(input.facts),
        };
      }
      return { notify: answer.notify, message: answer.notify ? text : '' };
    },

    async reportHeartbeat(input: ReportHeartbeatInput) {
      if (input.decision.notify) {
        await sessions.deliverOwnerNotice(await nameOf(db, input.ownerId, 'Owner'), {
          noticeId: input.beatId,
          fromTelegramId: input.ownerId,
          fromName: 'the heartbeat check',
          text: input.decision.message,
          display: `🔔 ${input.decision.message}`,
        });
      }
      // Told or judged not worth telling: either way the owner is not asked about it again.
      const seen = new Date();
      const ids = (kind: HeartbeatFact['kind']) => input.facts.filter((f) => f.kind === kind).map((f) => f.id);
      await db.$transaction([
        db.task.updateMany({ where: { id: { in: ids('overdue_task') } }, data: { overdueNotifiedAt: seen } }),
        db.negotiation.updateMany({
          where: { id: { in: ids('stalled_conversation') } },
          data: { stallNotifiedAt: seen },
        }),
        db.reminder.updateMany({ where: { id: { in: ids('missed_reminder') } }, data: { missedNotifiedAt: seen } }),
      ]);
    },
  } satisfies HeartbeatActivities;
}
