// Keyword terms for memory search: the ONE normalisation both memory indexes use (the
// embedded one in its word maps, Qdrant in a payload field), so a query finds the same
// facts on either by construction. Per word: stop words are dropped in the word's own
// language BEFORE transliteration (Russian "до" is not English "do", "кто" is not "CTO"),
// the word is stemmed by its language's Snowball stemmer ("meetings" → "meet", "Иваном" →
// "иван"), then folded to one Latin spelling (activities/tools/name-matching.ts) so that Cyrillic and
// Latin spellings of a name meet ("Джон"/"John", "Кенджи"/"Kenji").
import { stemmer as stemEnglish } from '@orama/stemmers/english';
import { stemmer as stemRussian } from '@orama/stemmers/russian';
import * as stopword from 'stopword';
import { foldName } from '../tools/name-matching.ts';

/**
 * Words that never carry a memory's content: greetings, thanks, agreement, and the pieces
 * of English contractions. With the standard lists they make small talk contentless.
 */
const CONVERSATION = {
  en: 'thanks thank thx ok okay hi hello hey bye goodbye please yes yeah yep no nope sure great cool fine good nice s t m d ll re ve don doesn didn isn aren wasn won can couldn shouldn wouldn let lets today tomorrow',
  ru: 'спасибо благодарю привет здравствуй здравствуйте пока пожалуйста ок окей ага угу да нет хорошо ладно отлично супер понятно давай дела доброе добрый завтра',
};

/** Set phrases of small talk whose words alone would look like content ("morning", "утро"). */
const FORMULAS =
  /\b(good (morning|afternoon|evening|night)|how are you( doing)?|have a (good|nice) (day|evening|weekend)|sounds (good|great|fine)|see you( later| soon)?|got it|no problem)\b|(^|[^\p{L}])(доброе утро|добрый (день|вечер)|спокойной ночи|как (дела|ты|вы)|хорошего (дня|вечера))(?![\p{L}])/giu;

/** The text without greetings and other set phrases of small talk. */
export function withoutSmallTalk(text: string): string {
  return text.replace(FORMULAS, ' ');
}

const STOP = {
  en: new Set([...stopword.eng, ...CONVERSATION.en.split(' ')]),
  ru: new Set([...stopword.rus, ...CONVERSATION.ru.split(' ')].map((w) => w.replace(/ё/g, 'е'))),
};

const CYRILLIC = /\p{Script=Cyrillic}/u;
const LATIN = /\p{Script=Latin}/u;
const DIGITS = /^\p{N}+$/u;

/** The words of a text, lowercased, apostrophes kept inside words ("don't", "Masha's"). */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .split(/[^\p{L}\p{N}']+/u)
    .map((w) => w.replace(/^'+|'+$/g, '').replace(/'s$/, ''))
    .filter((w) => w.length > 0);
}

/** One word's term, or undefined for a stop word. */
function term(word: string): string | undefined {
  if (DIGITS.test(word)) return word;
  if (CYRILLIC.test(word)) {
    const ru = word.replace(/ё/g, 'е');
    if (STOP.ru.has(ru)) return undefined;
    return foldName(stemRussian(ru)) || undefined;
  }
  // "I'm", "don't": their parts are stop words; "O'Brien" keeps its letters.
  const plain = word
    .split("'")
    .filter((part) => !STOP.en.has(part))
    .join('');
  if (!plain) return undefined;
  return foldName(LATIN.test(plain) ? stemEnglish(plain) : plain) || undefined;
}

/** The words of `text` that say what it is about, as typed (stop words dropped). */
export function contentWords(text: string): string[] {
  return words(text).filter((w) => term(w) !== undefined);
}

/** A text's keyword terms, in order, repeats kept. */
export function keywordTerms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    const t = term(w);
    if (t) out.push(t);
  }
  return out;
}

/** Shortest term that matches longer ones by prefix ("petr" ⊂ "petrov"; "ива" ⊂ "иван"). */
export const MIN_PREFIX = 3;
/** A prefix match counts for less than the same term. */
const PREFIX_CREDIT = 0.75;

/**
 * How well a query term matches a fact term: 1 for the same term, PREFIX_CREDIT when the
 * shorter (at least MIN_PREFIX letters) begins the longer: the stemmer leaves inflected
 * names apart ("Петров" → "petr", "Петровым" → "petrov"), a prefix brings them together.
 */
export function termMatch(query: string, fact: string): number {
  if (query === fact) return 1;
  const [short, long] = query.length < fact.length ? [query, fact] : [fact, query];
  return short.length >= MIN_PREFIX && long.startsWith(short) ? PREFIX_CREDIT : 0;
}

/** The prefixes of a term that may stand for it in a shorter fact term: MIN_PREFIX letters up to the term itself, exclusive. */
export function shorterPrefixes(t: string): string[] {
  const out: string[] = [];
  for (let n = MIN_PREFIX; n < t.length; n++) out.push(t.slice(0, n));
  return out;
}

/**
 * What an index stores per fact for keyword lookups: its distinct terms, and every term's
 * prefixes (from MIN_PREFIX letters): a query term q is found in `prefixes` when some fact
 * term begins with q, and in `terms` (as one of shorterPrefixes(q)) when a fact term begins q.
 */
export function keywordFields(text: string): { terms: string[]; prefixes: string[] } {
  const terms = [...new Set(keywordTerms(text))];
  return { terms, prefixes: termPrefixes(terms) };
}

/** Every prefix of the terms from MIN_PREFIX letters up to the whole term. */
export function termPrefixes(terms: readonly string[]): string[] {
  const prefixes = new Set<string>();
  for (const t of terms) {
    for (let n = MIN_PREFIX; n <= t.length; n++) prefixes.add(t.slice(0, n));
  }
  return [...prefixes];
}

export interface KeywordQuery {
  /** The query's distinct terms, each with its weight (rarer terms weigh more). */
  terms: string[];
}

export function keywordQuery(text: string, maxTerms = 24): KeywordQuery {
  return { terms: [...new Set(keywordTerms(text))].slice(0, maxTerms) };
}

/**
 * Inverse document frequency of a term matched by `documentFrequency` of `total` facts:
 * a name that two facts carry weighs far more than a word half the memory has.
 */
export function termWeight(documentFrequency: number, total: number): number {
  return Math.log(1 + (total + 1) / (documentFrequency + 0.5));
}

/**
 * The weighted share of the query's terms a fact has, 0..1. `weights[i]` belongs to
 * `query.terms[i]`; both indexes compute them with termWeight from their own counts.
 */
export function keywordScore(query: KeywordQuery, weights: number[], factTerms: readonly string[]): number {
  let total = 0;
  let matched = 0;
  query.terms.forEach((q, i) => {
    const w = weights[i] ?? 1;
    total += w;
    let best = 0;
    for (const f of factTerms) {
      best = Math.max(best, termMatch(q, f));
      if (best === 1) break;
    }
    matched += w * best;
  });
  return total === 0 ? 0 : matched / total;
}
