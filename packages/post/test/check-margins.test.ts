import { describe, expect, it } from 'vitest';
import { checkMargins } from '../src/check-margins.js';

describe('checkMargins', () => {
  const measured = { topPx: 40, bottomPx: 10, leftPx: 100, rightPx: 97 };

  it('accepts margins within ±2 px and skips sides expected as null or absent', () => {
    expect(checkMargins(measured, { topPx: 42, bottomPx: 8 }, 'entry 1')).toEqual([]);
    expect(checkMargins(measured, { topPx: null, bottomPx: null, leftPx: null }, 'entry 1')).toEqual([]);
  });

  it('names the entry, the side, both margins and the tolerance for each side off by more', () => {
    expect(
      checkMargins(
        measured,
        { topPx: 43, bottomPx: 10, leftPx: 100, rightPx: 100 },
        'dataCollection[0] (entry 1)',
      ),
    ).toEqual([
      'dataCollection[0] (entry 1): top margin is 40 px, expected 43 px (±2 px); check the framing.',
      'dataCollection[0] (entry 1): right margin is 97 px, expected 100 px (±2 px); check the framing.',
    ]);
  });
});
