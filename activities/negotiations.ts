// What a negotiation workflow does outside itself: project its state onto the Negotiation
// row, and talk to the two sessions (the contact's, to say something; the owner's, to
// report or ask).
import type { Db } from '../infra/db.ts';
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
    await db.negotiation.update({
      where: { id: input.taskId },
      data: { status: input.status, ...(input.result && { result: JSON.parse(JSON.stringify(input.result)) }) },
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
