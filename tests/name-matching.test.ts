// Fuzzy finding of people and weekly recurrences: pure functions, checked directly.
import { describe, expect, it } from 'vitest';
import { foldName, rankMatches } from '../activities/tools/name-matching.ts';
import { describeRecurrence, nextOccurrences, occurrencesBetween } from '../pure/recurrence.ts';

const people = [
  { id: 1, firstName: 'Иван', lastName: 'Петров', username: 'ipetrov' },
  { id: 2, firstName: 'Ivan', lastName: 'Sidorov', username: null },
  { id: 3, firstName: 'Александр', lastName: 'Смирнов', username: 'sasha_s' },
  { id: 4, firstName: 'Julia', lastName: 'Roberts', username: 'jr' },
  { id: 5, firstName: 'Мария', lastName: 'Иванова', username: null },
  { id: 6, firstName: 'Maria', lastName: 'Schmidt', username: 'masha' },
  { id: 7, firstName: 'Пётр', lastName: 'Щукин', username: null },
];
const ids = (query: string) => rankMatches(query, people).map((p) => p.id);

describe('finding people by name', () => {
  it('folds Cyrillic and Latin spellings of a name to one form', () => {
    expect(foldName('Александр')).toBe(foldName('Aleksandr'));
    expect(foldName('Юлия')).toBe(foldName('Julia'));
    expect(foldName('Щукин')).toBe(foldName('Shchukin'));
    expect(foldName('Пётр')).toBe(foldName('Petr'));
  });

  it('finds by Latin or Cyrillic, whichever way the name was written', () => {
    expect(ids('Petrov')).toEqual([1]);
    expect(ids('петров')).toEqual([1]);
    expect(ids('Иван Сидоров')).toEqual([2]);
    expect(ids('Юлия')).toEqual([4]);
    expect(ids('Shchukin')).toEqual([7]);
    expect(ids('Schmidt')).toEqual([6]);
  });

  it('lists every candidate when a name is ambiguous, and never picks one', () => {
    expect(ids('Ivan').sort()).toEqual([1, 2]);
    expect(ids('Иван').sort()).toEqual([1, 2]);
    expect(ids('Мария').sort()).toEqual([5, 6]);
    // A full name settles it.
    expect(ids('Ivan Petrov')).toEqual([1]);
    expect(ids('Maria Ivanova')).toEqual([5]);
  });

  it('finds by partial names, usernames and near spellings', () => {
    expect(ids('Ива').sort()).toEqual([1, 2, 5]);
    expect(ids('@ipetrov')).toEqual([1]);
    expect(ids('ipetrov')).toEqual([1]);
    expect(ids('@petrov')).toEqual([]);
    expect(ids('Alexander')).toEqual([3]);
    expect(ids('Smirnoff')).toEqual([3]);
  });

  it('finds nobody for an unrelated or empty query', () => {
    expect(ids('Bob')).toEqual([]);
    expect(ids('   ')).toEqual([]);
    expect(ids('Li')).toEqual([]);
  });
});

describe('weekly recurrences', () => {
  const weekdays9 = { weekdays: [1, 2, 3, 4, 5], time: '09:00', timeZone: 'Europe/Berlin' };

  it('keeps the local time across a daylight-saving change', () => {
    const runs = nextOccurrences(weekdays9, Date.parse('2027-03-25T12:00:00Z'), 3).map((d) => d.toISOString());
    // 09:00 CET is 08:00 UTC; from Sunday 28 March, 09:00 CEST is 07:00 UTC.
    expect(runs).toEqual(['2027-03-26T08:00:00.000Z', '2027-03-29T07:00:00.000Z', '2027-03-30T07:00:00.000Z']);
  });

  it('uses the local date, not the UTC one', () => {
    const auckland = { ...weekdays9, timeZone: 'Pacific/Auckland' };
    // 12:00 UTC on Saturday is already 01:00 on Sunday in Auckland: Monday 09:00 comes next.
    expect(nextOccurrences(auckland, Date.parse('2026-11-21T12:00:00Z'), 1)[0]!.toISOString()).toBe(
      '2026-11-22T20:00:00.000Z',
    );
  });

  it('counts the runs a downtime swallowed', () => {
    const mondayRun = Date.parse('2026-11-23T08:00:00Z');
    expect(occurrencesBetween(weekdays9, mondayRun, Date.parse('2026-11-25T10:00:00Z'))).toBe(2);
    expect(occurrencesBetween(weekdays9, mondayRun, mondayRun + 3600_000)).toBe(0);
  });

  it('reads in words', () => {
    expect(describeRecurrence(weekdays9)).toBe('every weekday (Monday to Friday) at 09:00');
    expect(describeRecurrence({ ...weekdays9, weekdays: [1, 4] })).toBe('every Monday and Thursday at 09:00');
    expect(describeRecurrence({ ...weekdays9, weekdays: [0, 1, 2, 3, 4, 5, 6] })).toBe('every day at 09:00');
  });
});
