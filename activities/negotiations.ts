// What a negotiation workflow does outside itself: project its state onto the Negotiation
// row, and talk to the two sessions (the contact's, to say something; the owner's, to
// report or ask).
import type { Db } from '../infra/db.ts';
import { log } from '../infra/logger.ts';
import { nameOf } from './person-name.ts';
import type { SessionClient } from '../clients/sessions.ts';
import type {
  InstructContactInput,
  NegotiationActivities,
  NegotiationStatus,
  RecordNegotiationInput,
  TellOwnerInput,
} from '../contracts/negotiation.ts';
import type { NegotiationStatus as StoredStatus } from '../generated/prisma/client.ts';

// The database enum and the workflow's status type are one list: a difference fails here.
const _sameStatuses: [StoredStatus, NegotiationStatus] extends [NegotiationStatus, StoredStatus] ? true : never = true;

export interface NegotiationActivityDeps {
  db: Db;
  sessions: SessionClient;
}

export function createNegotiationActivities({ db, sessions }: NegotiationActivityDeps) {
  async function recordNegotiation(input: RecordNegotiationInput) {
    const { count } = await db.negotiation.updateMany({
      where: { id: input.taskId },
      data: { status: input.status, ...(input.result && { result: JSON.parse(JSON.stringify(input.result)) }) },
    });
    // The row is only the negotiation's projection (its state lives in Temporal): a row that
    // was deleted is not waited for (retrying cannot bring it back); the owner is told, once.
    if (count === 0) await tellOwnerRowMissing(input);
  }

  async function tellOwnerRowMissing(input: RecordNegotiationInput) {
    log.error('Negotiation row missing: the negotiation goes on without it', { taskId: input.taskId });
    const ownerId = sessions.ownerTelegramId;
    await sessions.deliverOwnerNotice(await nameOf(db, ownerId, 'Owner'), {
      noticeId: `negotiation-${input.taskId}/row-missing`,
      fromTelegramId: ownerId,
      fromName: 'Jobs',
      text: `The record of conversation ${input.taskId} is missing from the database (it was deleted), so it no longer shows in lists; the conversation itself goes on (now ${input.status}).`,
    });
  }

  return {
    recordNegotiation,
    recordConversation: recordNegotiation,

    async instructContact(input: InstructContactInput) {
      await sessions.deliverInstruction(
        { telegramId: input.contactId, displayName: input.contactName },
        { instructionId: input.instructionId, taskId: input.taskId, text: input.text },
      );
    },

    async tellOwner(input: TellOwnerInput) {
      await sessions.deliverOwnerNotice(input.ownerName, input.notice);
    },
  } satisfies NegotiationActivities;
}
