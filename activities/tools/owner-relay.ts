// External contacts' way to reach the owner: a summary delivered to the owner's chat
// (through the owner's own session, which also keeps it as context).
import { z } from 'zod';
import { defineTool } from './types.ts';

export const sendSummaryToOwner = defineTool({
  name: 'send_summary_to_owner',
  description:
    'Pass a short summary of this conversation, or a message from this person, to the owner. Use it when the person wants something from the owner or says something the owner should know.',
  roles: ['external'],
  input: z.object({
    summary: z.string().trim().min(1).max(4000).describe('What the owner should know, in a few sentences'),
  }),
  async run({ caller, callId, notifyOwner }, { summary }) {
    await notifyOwner({
      noticeId: callId,
      fromTelegramId: caller.telegramId,
      fromName: caller.displayName,
      text: summary,
    });
    return 'Delivered to the owner.';
  },
});
