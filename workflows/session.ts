// One durable session per person (`session-<telegramId>`): messages in, strictly in
// order; the agent loop (Claude → tools → Claude …); the reply out through the
// `telegram` task queue. Signal handlers only record; the main loop does the work.
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  isCancellation,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { FailureTypes } from '../contracts/domain.ts';
import type { ChatMessage, ContentBlock } from '../contracts/domain.ts';
import { Replies } from '../pure/replies.ts';
import type { TelegramActivities } from '../contracts/telegram.ts';
import { isBlank } from '../pure/text.ts';
import {
  conversationInstructionSignal,
  messageReceivedSignal,
  ownerNoticeSignal,
  resetSignal,
  sessionStatusQuery,
} from '../contracts/session.ts';
import type {
  MessageReceivedInput,
  OwnerNoticeInput,
  SessionActivities,
  SessionWorkflow,
} from '../contracts/session.ts';
import {
  instructionText,
  messageText,
  noticeText,
  savedFileText,
  UNREADABLE_VOICE,
  userTurn,
  voiceTranscriptText,
} from './model-text.ts';
import { SessionState } from './session-state.ts';

const { callClaude } = proxyActivities<SessionActivities>({
  startToCloseTimeout: '3 minutes',
  // The activity heartbeats while it waits for Claude, so a crashed worker's call is
  // retried within seconds instead of after the full timeout.
  heartbeatTimeout: '10 seconds',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 8,
    nonRetryableErrorTypes: [FailureTypes.claudeRejected],
  },
});

const { transcribeVoice } = proxyActivities<SessionActivities>({
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '2 seconds',
    maximumAttempts: 4,
    nonRetryableErrorTypes: [FailureTypes.voiceUnreadable],
  },
});

const { executeTool } = proxyActivities<SessionActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumAttempts: 3 },
});

/** Tool rounds allowed in one turn, so a looping model cannot run forever. */
const MAX_TOOL_ROUNDS = 8;

export const sessionWorkflow: SessionWorkflow = async function sessionWorkflow(input) {
  const { telegramId, role, settings } = input;
  const state = new SessionState(input.carried);
  const telegram = proxyActivities<TelegramActivities>({
    taskQueue: settings.telegramTaskQueue,
    startToCloseTimeout: '1 minute',
    retry: {
      initialInterval: '1 second',
      maximumInterval: '30 seconds',
      maximumAttempts: 20,
      nonRetryableErrorTypes: [FailureTypes.chatUnreachable],
    },
  });
  const typing = proxyActivities<TelegramActivities>({
    taskQueue: settings.telegramTaskQueue,
    startToCloseTimeout: '10 seconds',
    retry: { maximumAttempts: 1 },
  });
  const sessionId = workflowInfo().workflowId;

  setHandler(messageReceivedSignal, (message) => state.enqueueMessage(message));
  setHandler(ownerNoticeSignal, (notice) => state.enqueueNotice(notice));
  setHandler(conversationInstructionSignal, (instruction) => state.enqueueInstruction(instruction));
  setHandler(sessionStatusQuery, () => state.status(telegramId, role));
  setHandler(resetSignal, () => state.reset());

  async function send(chatId: number, text: string, idempotencyKey: string): Promise<void> {
    try {
      await telegram.sendMessage({ chatId, text, idempotencyKey });
    } catch (err) {
      // The person is unreachable or Telegram kept failing: record it, keep the session alive.
      log.error('Reply could not be delivered', { chatId, idempotencyKey, error: describe(err) });
    }
  }

  async function deliverNotice(notice: OwnerNoticeInput): Promise<void> {
    const text = notice.display ?? Replies.ownerNotice(notice.fromName, notice.text);
    await send(telegramId, text, `${sessionId}/notice/${notice.noticeId}`);
    state.addContext(noticeText(notice, role));
  }

  /**
   * What the model reads of one message: its text, voice notes transcribed, files
   * described. Null when nothing readable arrived; a voice note that cannot be
   * transcribed is answered here, politely.
   */
  async function readMessage(m: MessageReceivedInput, turnKey: string): Promise<string | null> {
    const parts: string[] = [];
    if (!isBlank(m.text)) parts.push(messageText(m));
    for (const a of m.attachments ?? []) {
      if (a.kind !== 'voice') {
        parts.push(savedFileText(a));
        continue;
      }
      try {
        const { text } = await transcribeVoice({
          telegramId,
          path: a.path,
          fileName: a.fileName,
          mimeType: a.mimeType,
        });
        parts.push(voiceTranscriptText(a, text));
      } catch (err) {
        log.warn('Voice note could not be transcribed', { messageId: m.messageId, error: describe(err) });
        await send(telegramId, Replies.voiceUnreadable, `${turnKey}/voice-${m.messageId}`);
        parts.push(UNREADABLE_VOICE);
      }
    }
    parts.push(...(m.notes ?? []));
    // A message that was only an unreadable voice note has been answered; nothing to think about.
    if (parts.length === 0 || parts.every((p) => p === UNREADABLE_VOICE)) return null;
    return parts.join('\n');
  }

  /** Fire-and-forget activities of the current turn, settled before the next one. */
  const background: Promise<unknown>[] = [];

  async function runTurn(): Promise<void> {
    state.turn += 1;
    const turnKey = `${sessionId}/turn-${state.turn}`;
    const messages: MessageReceivedInput[] = [];
    const readings: Array<string | null> = [];
    let instructed = false;
    const takeMessages = async () => {
      for (const item of state.takeInbox()) {
        if (item.kind === 'notice') {
          await deliverNotice(item.notice);
          continue;
        }
        if (item.kind === 'instruction') {
          readings.push(instructionText(item.instruction));
          instructed = true;
          continue;
        }
        const m = item.message;
        messages.push(m);
        if (m.truncated) {
          await send(
            telegramId,
            Replies.truncated(m.originalLength, m.text.length),
            `${turnKey}/truncated-${m.messageId}`,
          );
        }
        readings.push(await readMessage(m, turnKey));
      }
    };
    await takeMessages();
    if (messages.length === 0 && !instructed) return;

    let turn = userTurn(state.contextLines(), readings);
    if (!turn) {
      const hadAttachments = messages.some((m) => (m.attachments ?? []).length > 0);
      // An unreadable voice note was already answered; anything else empty gets a word.
      if (!hadAttachments) await send(telegramId, Replies.emptyMessage, `${turnKey}/empty`);
      return;
    }

    let conversation: ChatMessage[] = [...state.history, turn];
    let sideEffects = false;
    for (let round = 0; ; round++) {
      // "typing…" shows while Claude thinks; the answer never waits for it.
      background.push(typing.sendTyping({ chatId: telegramId }).catch(() => undefined));
      let response;
      try {
        response = await callClaude({ sessionId, telegramId, messages: conversation });
      } catch (err) {
        const rejected = isFailureOfType(err, FailureTypes.claudeRejected);
        log.error(rejected ? 'Claude rejected the turn' : 'Claude unavailable for the turn', {
          turn: state.turn,
          error: describe(err),
        });
        // A rejected request may have been caused by these messages: do not carry them on.
        // An outage is not their fault: keep them, so the next turn still sees them.
        if (!rejected) state.commitHistory([...state.history, turn], settings.historyMessages);
        await send(telegramId, rejected ? Replies.claudeRejected : Replies.claudeUnavailable, `${turnKey}/failed`);
        state.clearContext();
        return;
      }
      state.addUsage(response.usage);

      // More messages arrived while Claude was thinking, and nothing has been done yet:
      // think again with all of them, so a burst gets one coherent answer.
      if (!sideEffects && state.hasQueuedMessages()) {
        await takeMessages();
        turn = userTurn(state.contextLines(), readings) ?? turn;
        conversation = [...state.history, turn];
        continue;
      }

      const toolUses = response.content.filter((b) => b.type === 'tool_use');
      if (toolUses.length > 0) {
        if (round + 1 >= MAX_TOOL_ROUNDS) {
          state.commitHistory(conversation, settings.historyMessages);
          await send(telegramId, Replies.toolBudgetExhausted, `${turnKey}/tool-budget`);
          break;
        }
        conversation = [...conversation, { role: 'assistant', content: response.content }];
        sideEffects = true;
        const results = await Promise.all(
          toolUses.map(async (use): Promise<ContentBlock> => {
            try {
              const result = await executeTool({
                sessionId,
                telegramId,
                toolUseId: use.id,
                name: use.name,
                input: use.input,
              });
              return { type: 'tool_result', tool_use_id: use.id, content: result.content, is_error: result.isError };
            } catch (err) {
              return {
                type: 'tool_result',
                tool_use_id: use.id,
                content: `The tool failed: ${describe(err)}`,
                is_error: true,
              };
            }
          }),
        );
        conversation = [...conversation, { role: 'user', content: results }];
        continue;
      }

      conversation = [...conversation, { role: 'assistant', content: response.content }];
      state.commitHistory(conversation, settings.historyMessages);
      const reply = response.content
        .filter((b) => b.type === 'text')
        .map((b) => b.text)
        .join('\n\n')
        .trim();
      if (reply) await send(telegramId, reply, `${turnKey}/reply`);
      break;
    }
    state.clearContext();
  }

  let turnsThisRun = 0;
  for (;;) {
    await condition(() => state.hasWork());
    state.busy = true;
    try {
      await runTurn();
    } catch (err) {
      if (isCancellation(err)) throw err;
      // Whatever went wrong in this turn, the session must stay alive for the next one.
      log.error('Turn failed', { turn: state.turn, error: describe(err) });
    } finally {
      state.busy = false;
    }
    await Promise.all(background.splice(0));
    turnsThisRun += 1;
    if (turnsThisRun >= settings.turnsPerRun || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      state.runsCompleted += 1;
      await continueAsNew<typeof sessionWorkflow>({ ...input, carried: state.snapshot() });
    }
  }
};

function isFailureOfType(err: unknown, type: string): boolean {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === type;
}

function describe(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause) return err.cause.message;
  return err instanceof Error ? err.message : String(err);
}
