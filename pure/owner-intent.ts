// Which kinds of outward action the owner's own words ask for, read from those words alone
// (English and Russian). Text from anyone else never reaches this function, so an
// instruction hidden in a contact's message cannot make an action "asked for". A phrasing
// this list misses only costs the owner one "yes"; it never lets an action through.

/** The kinds of outward or irreversible action, as the owner would name them. */
export type ActionKind =
  | 'contact' // start a conversation with someone
  | 'answer' // the owner's decision in a negotiation
  | 'cancel' // call a negotiation off
  | 'forget' // delete a memory
  | 'add-server' // plug in (or re-enable) an MCP server
  | 'remove-server'
  | 'block'
  | 'task' // a task for a contact (they are told)
  | 'mcp'; // an MCP server's tool that may act outward: named by the server, not by a verb

// Stems: English words start at a word boundary; Russian ones match any inflection.
const ASKS: Record<Exclude<ActionKind, 'mcp'>, RegExp[]> = {
  contact: [
    /\b(arrange|organi[sz]e|set up|schedule|book|ask|write|message|text|contact|reach|tell|find out|agree|meet|call|invite|check with|ping|plan|coordinate|talk to|speak|follow up|find (an?|some|the)? ?(hour|time|slot|day|date))/i,
    /(договор|спрос|напиш|узна|свяж|назнач|передай|скажи|встреч|созвон|попрос|организ|пригласи|уточни|заплани|поговори|обсуди|найди (время|час|слот))/i,
  ],
  answer: [
    // Not a bare "ok"/"yes": after a notice that may be a nod, not a decision (it gets a question).
    /\b(accept|decline|agree|confirm|counter|suggest|propose|repl(y|ies)|answer|respond|tell (?!me\b)|go with|go for|take (it|that|the)|reject|refuse|book it|let'?s do)/i,
    /(прим[иу]|приня|согла|подтверд|отка|ответь|предлож|передай|скажи (ей|ему|им)|напиши (ей|ему|им)|подходит|годится|бер[её]м|отклон|устраивает)/i,
  ],
  cancel: [
    /\b(cancel|call off|call it off|stop|drop|abort|abandon|no longer|never ?mind)/i,
    /(отмен|останов|прекрат|не надо|стоп|отбой|хватит|не нужн)/i,
  ],
  // Not "forget it" / "забудь об этом": that is "never mind", not "delete a memory".
  forget: [
    /\b(forget (?!(about )?(it|that|this)\b)|delete|remove|erase|wipe)/i,
    /(забудь|забыть|удали|сотри)\s+(?!(об этом|это|про это)([^\p{L}]|$))\S/iu,
  ],
  'add-server': [
    /\b(add|connect|install|plug|enable|set up|hook up|register|turn on|re-?enable)/i,
    /(подключ|добав|установ|включ)/i,
  ],
  'remove-server': [/\b(remove|delete|uninstall|disconnect|drop|get rid)/i, /(удал|отключ|убер|убрать)/i],
  block: [/\b(block|unblock|ban|unban)/i, /(блок|забан|разбан)/i],
  task: [
    /\b(task|assign|give|to-?do|deadline|due|remind .* to|cancel|done|update|change|move)/i,
    /(задач|поруч|дай |дедлайн|срок|отмен|перенес|измени)/i,
  ],
};

/** Whether the owner's words ask for this kind of action; an MCP tool is asked for by naming it (see the policy). */
export function ownerAskedFor(kind: ActionKind, ownerWords: string): boolean {
  if (kind === 'mcp') return true;
  const words = ownerWords.normalize('NFKC');
  return ASKS[kind].some((pattern) => pattern.test(words));
}

const YES = new Set([
  'yes', 'y', 'yes please', 'yes do it', 'do it', 'go ahead', 'confirm', 'confirmed', 'ok', 'okay', 'ok do it', 'sure',
  'да', 'да давай', 'давай', 'ок', 'подтверждаю', 'делай', 'согласен', 'согласна', 'да делай',
]); // prettier-ignore
const NO = new Set([
  'no', 'n', 'nope', 'no thanks', 'dont', "don't", 'do not', 'cancel', 'stop',
  'нет', 'не надо', 'не нужно', 'отмена', 'отмени', 'стоп',
]); // prettier-ignore

/**
 * The owner's answer to "Reply yes to do exactly this": the whole message must be a plain
 * yes or no (punctuation and emoji aside); anything else is neither, and drops the action.
 */
export function readConfirmation(text: string): 'yes' | 'no' | null {
  const plain = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (YES.has(plain) || plain === '👍') return 'yes';
  if (NO.has(plain)) return 'no';
  return null;
}
