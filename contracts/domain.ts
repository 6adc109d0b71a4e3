// Domain types shared by workflows, activities and the gateway. No Node imports:
// this module is part of the workflow bundle.

export type Role = 'owner' | 'external';

/** The conversation as the model sees it: the Anthropic Messages shape, reduced to what Jobs uses. */
export type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'tool_result'; tool_use_id: string; content: string | ToolResultPart[]; is_error?: boolean };

/**
 * A part of a tool's result. An image stays a file in the person's workspace (the
 * history carries its path, not its bytes); the Claude activity reads it into an image
 * block when it builds the request.
 */
export type ToolResultPart = { type: 'text'; text: string } | { type: 'image'; file: string; mediaType: string };

/** What the conversation holds in place of a secret the owner gave a tool. */
export const SECRET_PLACEHOLDER = '[secret stored]';

/** A span of a conversation's text to cut out (a secret), by position: never the value itself. */
export interface TextRedaction {
  /** Index of the message in the conversation the activity was given. */
  message: number;
  /** Index of the text block in that message. */
  block: number;
  start: number;
  length: number;
}

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: ContentBlock[];
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
}

export const ZERO_USAGE: TokenUsage = {
  inputTokens: 0,
  outputTokens: 0,
  cacheCreationInputTokens: 0,
  cacheReadInputTokens: 0,
};

/** USD per million tokens, for estimates (cache writes cost 1.25× input, cache reads 0.1×). */
export interface ModelPrice {
  inputPerMtok: number;
  outputPerMtok: number;
}

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheCreationInputTokens: a.cacheCreationInputTokens + b.cacheCreationInputTokens,
    cacheReadInputTokens: a.cacheReadInputTokens + b.cacheReadInputTokens,
  };
}

/** Failure types that end a call for good: listed in the retry policies' nonRetryableErrorTypes. */
export const FailureTypes = {
  /** Claude rejected the request itself (HTTP 400-class): retrying cannot help. */
  claudeRejected: 'ClaudeRejectedRequest',
  /** Claude refused the API key (HTTP 401/403): only the operator can fix it. */
  claudeKeyRejected: 'ClaudeKeyRejected',
  /** The Telegram peer cannot receive messages (deleted account, blocked us...). */
  chatUnreachable: 'ChatUnreachable',
  /** A voice note that cannot be transcribed (corrupt audio, no speech, no Whisper configured). */
  voiceUnreadable: 'VoiceUnreadable',
  /** A tool call that cannot succeed as asked (the data is refused); its message is a sentence for the model. */
  toolFailed: 'ToolFailed',
} as const;
