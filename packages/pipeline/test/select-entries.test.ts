import { describe, expect, it } from 'vitest';
import { selectEntries } from '../src/select-entries.js';

const items = [
  { number: 1, id: 'walking-aaaa', description: 'a person slowly walking' },
  { number: 2, id: 'salute-bbbb', description: 'a person saluting' },
  { number: 3, id: 'boxing-cccc', description: 'a person boxing' },
  { number: 4, id: 'walking-dddd', description: 'a person walking away' },
];
const numbers = (only: string) => {
  const r = selectEntries(items, only);
  return typeof r === 'string' ? r : r.map((i) => i.number);
};

describe('selectEntries (--only)', () => {
  it('selects everything when absent', () => expect(numbers('')).toEqual([1, 2, 3, 4]));
  it('takes numbers and ranges', () => expect(numbers('1, 3-4')).toEqual([1, 3, 4]));
  it('takes stable ids', () => expect(numbers('salute-bbbb,walking-dddd')).toEqual([2, 4]));
  it('takes a description substring, any case', () => expect(numbers('WALKING')).toEqual([1, 4]));
  it('says what is wrong', () => {
    expect(numbers('4-2')).toBe('--only: range "4-2" runs backwards; write 2-4');
    expect(numbers('7')).toBe('--only: no entry number 7 (the manifest has entries 1-4)');
    expect(numbers('dancing')).toBe('--only: no entry\'s description contains "dancing"');
  });
});
