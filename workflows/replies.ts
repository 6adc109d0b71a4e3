// Fixed replies the assistant sends without asking the model. Short, polite, and
// saying what the person can do next. Used by the agent turn; no Node imports (workflow bundle).

export const Replies = {
  emptyMessage: 'I received an empty message (nothing readable was in it). Could you send it again as text?',
  truncated: (originalLength: number, kept: number) =>
    `Your message was very long (${originalLength.toLocaleString('en-US')} characters); I'm reading the first ${kept.toLocaleString('en-US')}.`,
  claudeRejected: "Sorry, I couldn't process that message. Could you rephrase it or send it in smaller parts?",
  apiKeyRejected:
    "I can't think right now: the AI service does not accept my API key (ANTHROPIC_API_KEY). Please put a valid key in the configuration and restart me; I've kept your message. I won't repeat this until it works again.",
  claudeUnavailable:
    "Sorry, I can't think right now (the AI service is not answering). I've kept your message; please write again in a few minutes.",
  toolBudgetExhausted: 'Sorry, that took more steps than I can do in one go. Could you break it into smaller requests?',
  fileNotSent: 'Sorry, I could not send you that file. Please ask me again in a moment.',
  stillWorking: '⏳ Still working on it: a tool is taking a while. I will answer when it is done.',
  voiceUnreadable: "Sorry, I couldn't make out your voice note. Could you record it again, or write it as text?",
  ownerNotice: (fromName: string, text: string) => `📨 From ${fromName}:\n${text}`,
  /** The owner's confirmation of an outward action, in plain words (pure/privilege-policy.ts). */
  confirmAction: (summary: string, whose: string) =>
    `⚠️ Before I do this, please confirm:\n${summary}\n\nIt came up while ${whose} were in our conversation, so I won't do it on my own. Reply "yes" to do exactly this; anything else drops it.`,
} as const;
