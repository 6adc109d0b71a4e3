// What negotiation workflows do outside themselves: keep the ConversationTask row in
// step, and talk to the two sessions (the contact's, to say something; the owner's, to
// report or ask).
import type { Db } from '../common/db.ts';
import type { SessionRouter } from '../common/session-router.ts';
import type { ConversationStatus, NegotiationResult } from '../workflows/negotiation-api.ts';
import type { OwnerNoticeInput } from '../workflows/session-api.ts';

export interface ConversationDeps {
  db: Db;
  router: SessionRouter;
}

export function createConversationActivities({ db, router }: ConversationDeps) {
  return {
    async recordConversation(input: { taskId: string; status: ConversationStatus; result?: NegotiationResult }) {
      await db.conversationTask.update({
        where: { id: input.taskId },
        data: { status: input.status, ...(input.result && { result: JSON.parse(JSON.stringify(input.result)) }) },
      });
    },

    async instructContact(input: {
      taskId: string;
      contactId: number;
      contactName: string;
      instructionId: string;
      text: string;
    }) {
      await router.deliverInstruction(
        { telegramId: input.contactId, displayName: input.contactName },
        { instructionId: input.instructionId, taskId: input.taskId, text: input.text },
      );
    },

    async tellOwner(input: { ownerName: string; notice: OwnerNoticeInput }) {
      await router.deliverOwnerNotice(input.ownerName, input.notice);
    },
  };
}
