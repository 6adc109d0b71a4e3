// Keyword terms for memory search (activities/memory/keywords.ts) and the name folding they
// share with the people finder: pure functions, checked directly. The failure cases of the
// old keyword matching are pinned here; the same cases through the real model are in memory.test.ts.
import { describe, expect, it } from 'vitest';
import { keywordQuery, keywordScore, keywordTerms, termMatch } from '../activities/memory/keywords.ts';
import { recallQuery } from '../activities/memory/memory-service.ts';
import { foldName, mentionsName } from '../activities/tools/name-matching.ts';

const score = (query: string, fact: string) => keywordScore(keywordQuery(query), [], keywordTerms(fact));

describe('keyword terms', () => {
  it('drops stop words in their own language before transliterating: "до" is not "do", "кто" is not "CTO"', () => {
    expect(keywordTerms('до')).toEqual([]);
    expect(keywordTerms('кто')).toEqual([]);
    expect(keywordTerms('с')).toEqual([]);
    expect(score('what do I do', 'Отчёт сдать до пятницы')).toBe(0);
    expect(score('Кто это?', 'John is the CTO at Northwind')).toBe(0);
    expect(score('кто CTO в Northwind?', 'John is the CTO at Northwind')).toBe(1);
    expect(score("Masha's teacher", 'Учитель — с понедельника')).toBe(0);
  });

  it('stems by language and matches inflected names by prefix: "Иваном Петровым" finds "Иван Петров"', () => {
    expect(score('Иваном Петровым', 'Иван Петров: не ест мясо')).toBeGreaterThan(0.7);
    expect(score('Ivan Petrov', 'Иван Петров: не ест мясо')).toBeGreaterThan(0.7);
    expect(score('Петрову', 'Ivan Petrov is vegetarian')).toBeGreaterThan(0.7);
    expect(keywordTerms('meetings')).toEqual(keywordTerms('meeting'));
    expect(keywordTerms('встречи')).toEqual(keywordTerms('встреча'));
    expect(termMatch('petr', 'petrov')).toBeGreaterThan(0);
    // Two letters are too few to stand for a word.
    expect(termMatch('pe', 'petrov')).toBe(0);
  });

  it('keeps identifiers and numbers whole', () => {
    expect(keywordTerms('INV-2024-117')).toEqual(['inv', '2024', '117']);
    expect(keywordTerms('owes 1000 euros')).toContain('1000');
    expect(score('vitamin C', 'Takes vitamin C daily')).toBe(1);
  });

  it('finds nothing to search for in small talk', () => {
    for (const message of [
      'Thanks!',
      'ok, sounds good',
      'Спасибо, до завтра',
      'Привет! Как дела?',
      'Good morning :)',
    ]) {
      expect(recallQuery(message)).toBe('');
    }
    expect(recallQuery('Thanks! Book a table with Ivan')).toBe('Thanks! Book a table with Ivan');
  });
});

describe('one name folding across scripts', () => {
  it('spells a name the same in Cyrillic and Latin: Джон/John, Кенджи/Kenji, Томас/Thomas', () => {
    expect(foldName('Джон')).toBe(foldName('John'));
    expect(foldName('Кенджи')).toBe(foldName('Kenji'));
    expect(foldName('Томас')).toBe(foldName('Thomas'));
    expect(foldName('Михаил')).toBe(foldName('Mikhail'));
    expect(foldName('Сара')).toBe(foldName('Sarah'));
    expect(keywordTerms('Кенджи')).toEqual(keywordTerms('Kenji'));
    expect(keywordTerms('Джон')).toEqual(keywordTerms('John'));
  });

  it('merges doubled letters but never digits', () => {
    expect(foldName('Anna')).toBe(foldName('Ana'));
    expect(foldName('1000')).toBe('1000');
  });

  it('tells whether a message mentions a person, in any case and script', () => {
    expect(mentionsName('Обед с Иваном Петровым', 'Ivan Petrov')).toBe(true);
    expect(mentionsName('Напиши Джону', 'John Miller')).toBe(true);
    expect(mentionsName('call Kenji', 'Кенджи Сато')).toBe(true);
    expect(mentionsName('телефон Марии Ивановой', 'Мария Иванова')).toBe(true);
    expect(mentionsName('Lunch with Ivan Petrov', 'Мария Иванова')).toBe(false);
    expect(mentionsName("What's Elena's phone number?", 'Мария Иванова')).toBe(false);
  });
});
