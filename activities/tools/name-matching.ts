// Fuzzy matching of people by what the owner calls them: "@ivan_p", "Ivan", "Иван",
// "Petrov", "Ива", "Alexander" for "Александр". Names are folded to one Latin
// spelling (Cyrillic transliterated, spelling variants such as x/ks, kh/h, j/y/i
// merged) and compared token by token: exact, prefix, or close by edit distance.

// Cyrillic → Latin, the common passport-style spelling; variants are merged by fold().
const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i',
  к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f',
  х: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'sch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
  і: 'i', ї: 'i', є: 'e', ґ: 'g', ў: 'u',
}; // prettier-ignore

/**
 * One spelling for a name token: lowercase Latin, transliterated, with spelling variants
 * merged the same way whichever script the name came in: "Джон"/"John" → "ion",
 * "Кенджи"/"Kenji" → "keni", "Томас"/"Thomas" → "tomas", "Михаил"/"Mikhail" → "mihail".
 */
export function foldName(text: string): string {
  let s = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');
  s = [...s].map((ch) => CYRILLIC[ch] ?? ch).join('');
  s = s
    .replace(/shch|sch/g, 'sh')
    // Дж is the English j: "Джон" (dzhon) is "John".
    .replace(/dzh|dj/g, 'j')
    .replace(/x/g, 'ks')
    .replace(/kh/g, 'h')
    .replace(/ph/g, 'f')
    .replace(/th/g, 't')
    .replace(/w/g, 'v')
    .replace(/q/g, 'k')
    .replace(/ck/g, 'k')
    .replace(/c(?=[eiy])/g, 's')
    .replace(/c(?!h)/g, 'k')
    // A silent h after a vowel ("John", "Sarah") is not written in Cyrillic.
    .replace(/([aeiouy])h(?![aeiouy])/g, '$1')
    .replace(/[jy]/g, 'i')
    .replace(/[^a-z0-9]/g, '');
  // Doubled letters: "Anna"/"Ana", "Philipp"/"Filip" (digits stay: "1000" is not "10").
  return s.replace(/([a-z])\1+/g, '$1');
}

export function nameTokens(text: string): string[] {
  return text
    .split(/[\s._\-@,]+/)
    .map(foldName)
    .filter((t) => t.length > 0);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** How well one query token names one name token, 0..1. */
function tokenScore(query: string, name: string): number {
  if (query === name) return 1;
  // A partial name: "Ива" for "Иван", "alex" for "Alexander".
  if (query.length >= 2 && name.startsWith(query)) return 0.8 + 0.1 * (query.length / name.length);
  const distance = editDistance(query, name);
  const similarity = 1 - distance / Math.max(query.length, name.length);
  // Spelling differences only count for names long enough to tell apart.
  return Math.min(query.length, name.length) >= 4 && similarity >= 0.7 ? similarity * 0.85 : 0;
}

export interface NamedPerson {
  firstName?: string | null;
  lastName?: string | null;
  username?: string | null;
}

/**
 * How well `query` names `person`, 0..1: every word of the query must name some part of
 * the person (first name, last name, username); 0 when any word names nothing.
 */
export function matchScore(query: string, person: NamedPerson): number {
  const raw = query.trim();
  if (!raw) return 0;
  const username = person.username ? foldName(person.username) : '';
  if (raw.startsWith('@')) {
    const wanted = foldName(raw.slice(1));
    return username && wanted === username ? 1 : 0;
  }
  if (username && foldName(raw) === username) return 1;
  const tokens = [
    ...nameTokens(person.firstName ?? ''),
    ...nameTokens(person.lastName ?? ''),
    ...(username ? [username, ...nameTokens(person.username ?? '')] : []),
  ];
  const words = nameTokens(raw);
  if (words.length === 0 || tokens.length === 0) return 0;
  let total = 0;
  for (const word of words) {
    const best = Math.max(...tokens.map((t) => tokenScore(word, t)));
    if (best === 0) return 0;
    total += best;
  }
  return total / words.length;
}

/** Scores above this are candidates. */
export const MATCH_THRESHOLD = 0.6;

/**
 * The people `query` may mean, best first. One clear winner comes back alone; when
 * several are about as good, all of them come back, so the caller asks instead of guessing.
 */
export function rankMatches<P extends NamedPerson>(query: string, people: P[]): P[] {
  const scored = people
    .map((person) => ({ person, score: matchScore(query, person) }))
    .filter((s) => s.score >= MATCH_THRESHOLD)
    .sort((a, b) => b.score - a.score);
  if (scored.length === 0) return [];
  const best = scored[0]!.score;
  // An exact name beats partial and misspelled ones; otherwise near-equals are all kept.
  const margin = best === 1 ? 0 : 0.1;
  return scored.filter((s) => s.score >= best - margin).map((s) => s.person);
}

/**
 * Whether `text` mentions the person named `name` (say "Иван Петров"): some word of the
 * text, in any script or grammatical case ("Иваном", "Ivan", "Джону" for John), covers one
 * of the name's words up to its last two letters. "Ivan" does not mention "Ivanova".
 */
export function mentionsName(text: string, name: string): boolean {
  const parts = nameTokens(name).filter((n) => n.length >= 3);
  if (parts.length === 0) return false;
  const words = text
    .split(/[^\p{L}\p{N}]+/u)
    .map(foldName)
    .filter(Boolean);
  return parts.some((part) => words.some((word) => commonPrefix(word, part) >= Math.max(3, part.length - 2)));
}

function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}
