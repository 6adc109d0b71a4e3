// What negotiation workflows do outside themselves: keep the ConversationTask row in
// step, and talk to the two sessions (the contact's, to say something; the owner's, to
// report or ask).
import type { Db } from '../infra/db.ts';
import type { SessionRouter } from '../clients/session-router.ts';
import type {
  InstructContactInput,
  NegotiationActivities,
  RecordConversationInput,
  TellOwnerInput,
} from '../contracts/negotiation.ts';

export interface ConversationDeps {
  db: Db;
  router: SessionRouter;
}

export function createConversationActivities({ db, router }: ConversationDeps) {
  return {
    async recordConversation(input: RecordConversationInput) {
      await db.conversationTask.update({
        where: { id: input.taskId },
        data: { status: input.status, ...(input.result && { result: JSON.parse(JSON.stringify(input.result)) }) },
      });
    },

    async instructContact(input: InstructContactInput) {
      await router.deliverInstruction(
        { telegramId: input.contactId, displayName: input.contactName },
        { instructionId: input.instructionId, taskId: input.taskId, text: input.text },
      );
    },

    async tellOwner(input: TellOwnerInput) {
      await router.deliverOwnerNotice(input.ownerName, input.notice);
    },
  } satisfies NegotiationActivities;
}
