// One durable session per person (`session-<telegramId>`): what arrives is queued by the
// handlers and taken, strictly in order, by one turn at a time (agent-turn.ts). Long-lived:
// it continues as new every SESSION_TURNS_PER_RUN turns, carrying its state.
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  log,
  setCurrentDetails,
  patched,
  setHandler,
  TemporalFailure,
  workflowInfo,
} from '@temporalio/workflow';
import {
  instructionSignal,
  messageReceivedSignal,
  noticeSignal,
  pendingActionAnswerUpdate,
  resetSignal,
  resetUpdate,
  sessionStatusQuery,
} from '../contracts/session.ts';
import type { SessionWorkflow } from '../contracts/session.ts';
import { AgentTurns, describe } from './agent-turn.ts';
import { SessionState } from './session-state.ts';
import { sessionDetails, withCost } from './session-details.ts';

/** Patch id: programming errors in a turn fail the workflow task (before: logged and the turn dropped). */
export const PROGRAMMING_ERRORS_FAIL_THE_TASK = 'programming-errors-fail-the-task';

export const sessionWorkflow: SessionWorkflow = async function sessionWorkflow(input) {
  const { telegramId, role, settings } = input;
  const state = new SessionState(input.carried);
  const turns = new AgentTurns({ telegramId, role, settings, sessionId: workflowInfo().workflowId }, state);

  // Handlers only record; the loop below does the work.
  setHandler(messageReceivedSignal, (message) => state.enqueueMessage(message));
  setHandler(noticeSignal, (notice) => state.enqueueNotice(notice));
  setHandler(instructionSignal, (instruction) => state.enqueueInstruction(instruction));
  setHandler(sessionStatusQuery, () => withCost(state.status(telegramId, role), settings.price));
  setHandler(resetSignal, () => void state.reset());
  setHandler(
    pendingActionAnswerUpdate,
    (answer) => {
      state.inbox.push({ kind: 'action-answer', answer });
      return { queued: true as const };
    },
    {
      validator: (answer) => {
        if (role !== 'owner') throw new Error('Only the owner answers pending actions.');
        if (state.pendingAction?.actionId !== answer.actionId) {
          throw new Error('That action is no longer waiting for an answer.');
        }
      },
    },
  );
  setHandler(resetUpdate, () => ({ forgottenMessages: state.reset() }), {
    validator: () => {
      if (state.isFresh()) throw new Error('There is nothing to forget: the conversation is already fresh.');
    },
  });

  let turnsThisRun = 0;
  for (;;) {
    await condition(() => state.hasWork());
    state.busy = true;
    try {
      await turns.run();
    } catch (err) {
      if (isCancellation(err)) throw err;
      // A bug in this code (a TypeError, say) fails the workflow task instead: Temporal
      // retries the task, and once a fix is deployed the turn runs again from its start,
      // so the messages it took are answered rather than silently lost.
      if (!(err instanceof TemporalFailure) && patched(PROGRAMMING_ERRORS_FAIL_THE_TASK)) throw err;
      // A failure from Temporal (an activity that gave up): the session stays alive for the next turn.
      log.error('Turn failed', { turn: state.turn, error: describe(err) });
    } finally {
      state.busy = false;
      // Not a command: the UI reads it through the workflow's metadata query.
      setCurrentDetails(sessionDetails(state.status(telegramId, role), settings.price, new Date()));
    }
    await Promise.all(turns.background.splice(0));
    turnsThisRun += 1;
    if (turnsThisRun >= settings.turnsPerRun || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      state.runsCompleted += 1;
      await continueAsNew<typeof sessionWorkflow>({ ...input, carried: state.snapshot() });
    }
  }
};
