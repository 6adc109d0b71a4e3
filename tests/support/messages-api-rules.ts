// What the real Messages API refuses, checked the way it checks: the scripted Claude
// answers a request that breaks one of these rules with the same 400 (or 413) the real
// API gives, so a test cannot pass on a request Anthropic would reject. Pure functions.
//
// The rules and their wording follow the API's own error messages (as seen in real 400s
// and in the API reference): non-empty content, text that is not only whitespace, a
// prefill (final assistant message) without trailing whitespace,
// tool_use/tool_result pairing, unique and well-formed tool names, at most four
// cache breakpoints, image sources, and the 32 MB request limit.

export interface ApiError {
  status: 400 | 413;
  type: 'invalid_request_error' | 'request_too_large';
  message: string;
}

/** The Messages API's request size limit. */
export const MAX_REQUEST_BYTES = 32 * 1024 * 1024;
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const MAX_CACHE_BREAKPOINTS = 4;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const invalid = (message: string): ApiError => ({ status: 400, type: 'invalid_request_error', message });

/** The first rule the request breaks, or undefined when the real API would accept it. */
export function checkMessagesRequest(body: Json, rawBytes: number): ApiError | undefined {
  if (rawBytes > MAX_REQUEST_BYTES) {
    return { status: 413, type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' };
  }
  if (typeof body?.model !== 'string' || !body.model) return invalid('model: Field required');
  if (!Number.isInteger(body.max_tokens) || body.max_tokens < 1) {
    return invalid('max_tokens: Input should be a valid integer greater than or equal to 1');
  }
  return (
    checkTools(body.tools) ??
    checkSystem(body.system) ??
    checkMessages(body.messages, Array.isArray(body.tools) && body.tools.length > 0) ??
    checkCacheBreakpoints(body)
  );
}

function checkTools(tools: Json): ApiError | undefined {
  if (tools === undefined) return undefined;
  if (!Array.isArray(tools)) return invalid('tools: Input should be a valid list');
  const seen = new Set<string>();
  for (const [i, tool] of tools.entries()) {
    if (typeof tool?.name !== 'string' || !TOOL_NAME.test(tool.name)) {
      return invalid(`tools.${i}.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`);
    }
    if (seen.has(tool.name)) return invalid('tools: Tool names must be unique.');
    seen.add(tool.name);
    if (tool.input_schema?.type !== 'object') {
      return invalid(`tools.${i}.custom.input_schema.type: Input should be 'object'`);
    }
  }
  return undefined;
}

function checkSystem(system: Json): ApiError | undefined {
  if (system === undefined || typeof system === 'string') return undefined;
  if (!Array.isArray(system)) return invalid('system: Input should be a valid string or list');
  for (const [i, block] of system.entries()) {
    if (block?.type !== 'text') return invalid(`system.${i}.type: Input should be 'text'`);
    if (!isNonBlank(block.text)) return invalid('system: text content blocks must contain non-whitespace text');
  }
  return undefined;
}

function checkMessages(messages: Json, hasTools: boolean): ApiError | undefined {
  if (!Array.isArray(messages) || messages.length === 0) return invalid('messages: at least one message is required');
  let previousToolUseIds: string[] = [];
  const allToolUseIds = new Set<string>();
  for (const [i, message] of messages.entries()) {
    if (message?.role !== 'user' && message?.role !== 'assistant') {
      return invalid(`messages.${i}.role: Input should be 'user' or 'assistant'`);
    }
    const isFinalAssistant = i === messages.length - 1 && message.role === 'assistant';
    const blocks: Json[] =
      typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    if (!Array.isArray(blocks)) return invalid(`messages.${i}.content: Input should be a valid list`);
    if (blocks.length === 0 && !isFinalAssistant) {
      return invalid(
        `messages.${i}: all messages must have non-empty content except for the optional final assistant message`,
      );
    }
    const lastText = blocks.at(-1);
    if (
      isFinalAssistant &&
      lastText?.type === 'text' &&
      typeof lastText.text === 'string' &&
      /\s$/.test(lastText.text)
    ) {
      return invalid('messages: final assistant content cannot end with trailing whitespace');
    }
    const toolUseIds: string[] = [];
    const toolResultIds: string[] = [];
    let seenNonResult = false;
    for (const [j, block] of blocks.entries()) {
      const where = `messages.${i}.content.${j}`;
      switch (block?.type) {
        case 'text':
          if (!isNonBlank(block.text)) {
            return invalid(`${where}: text content blocks must contain non-whitespace text`);
          }
          seenNonResult = true;
          break;
        case 'image': {
          const problem = checkImage(block, where);
          if (problem) return problem;
          seenNonResult = true;
          break;
        }
        case 'tool_use':
          if (message.role !== 'assistant')
            return invalid(`${where}: tool_use blocks are only allowed in assistant messages`);
          if (!hasTools) return invalid('Requests which include `tool_use` or `tool_result` blocks must define tools.');
          if (allToolUseIds.has(block.id)) return invalid(`${where}: \`tool_use\` ids must be unique`);
          allToolUseIds.add(block.id);
          toolUseIds.push(block.id);
          if (typeof block.input !== 'object' || block.input === null || Array.isArray(block.input)) {
            return invalid(`${where}.input: Input should be a valid dictionary`);
          }
          break;
        case 'tool_result': {
          if (message.role !== 'user') return invalid(`${where}: tool_result blocks are only allowed in user messages`);
          if (!hasTools) return invalid('Requests which include `tool_use` or `tool_result` blocks must define tools.');
          if (seenNonResult) {
            return invalid(`${where}: \`tool_result\` blocks must come before any other content in the message`);
          }
          if (!previousToolUseIds.includes(block.tool_use_id)) {
            return invalid(
              `${where}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${block.tool_use_id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`,
            );
          }
          toolResultIds.push(block.tool_use_id);
          const problem = checkToolResultContent(block.content, where);
          if (problem) return problem;
          break;
        }
        default:
          return invalid(`${where}.type: unknown content block type ${JSON.stringify(block?.type)}`);
      }
    }
    const unanswered = previousToolUseIds.filter((id) => !toolResultIds.includes(id));
    if (unanswered.length > 0) {
      return invalid(
        `messages.${i}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${unanswered.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
      );
    }
    previousToolUseIds = toolUseIds;
  }
  if (previousToolUseIds.length > 0 && messages.at(-1).role === 'assistant') {
    // A final assistant message with tool_use is a prefill the model cannot continue.
    return invalid(
      `messages.${messages.length - 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${previousToolUseIds.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
    );
  }
  return undefined;
}

function checkToolResultContent(content: Json, where: string): ApiError | undefined {
  if (content === undefined || typeof content === 'string') return undefined;
  if (!Array.isArray(content)) return invalid(`${where}.content: Input should be a valid string or list`);
  for (const [k, inner] of content.entries()) {
    if (inner?.type === 'text') {
      if (!isNonBlank(inner.text)) {
        return invalid(`${where}.content.${k}: text content blocks must contain non-whitespace text`);
      }
    } else if (inner?.type === 'image') {
      const problem = checkImage(inner, `${where}.content.${k}`);
      if (problem) return problem;
    } else {
      return invalid(`${where}.content.${k}.type: Input should be 'text' or 'image'`);
    }
  }
  return undefined;
}

function checkImage(block: Json, where: string): ApiError | undefined {
  const source = block.source;
  if (source?.type !== 'base64') return invalid(`${where}.source.type: Input should be 'base64'`);
  if (!IMAGE_TYPES.includes(source.media_type)) {
    return invalid(`${where}.source.base64.media_type: Input should be ${IMAGE_TYPES.map((t) => `'${t}'`).join(', ')}`);
  }
  if (typeof source.data !== 'string' || (source.data.length * 3) / 4 > MAX_IMAGE_BYTES) {
    return invalid(`${where}.source.base64: image exceeds 5 MB maximum`);
  }
  return undefined;
}

function checkCacheBreakpoints(body: Json): ApiError | undefined {
  let count = 0;
  const visit = (block: Json) => {
    if (block && typeof block === 'object' && block.cache_control) count += 1;
  };
  (body.tools ?? []).forEach(visit);
  if (Array.isArray(body.system)) body.system.forEach(visit);
  for (const message of body.messages) if (Array.isArray(message.content)) message.content.forEach(visit);
  return count > MAX_CACHE_BREAKPOINTS
    ? invalid(`A maximum of ${MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided. Found ${count}.`)
    : undefined;
}

function isNonBlank(text: unknown): boolean {
  return typeof text === 'string' && text.trim().length > 0;
}
