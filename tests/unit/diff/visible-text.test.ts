/**
 * visibleText (fast, for every block) and visibleTokens (for the words of a changed clause) must
 * agree on what a reader sees, or the diff would call a clause changed and then find no change.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { visibleText, visibleTokens } from '../../../src/diff/visible-text.ts';

const piece = fc.constantFrom(
  '我们',
  '个人信息',
  'GitHub',
  'data',
  ' ',
  '  ',
  '\n',
  '\u200b',
  '，',
  '.',
  '（',
  '1',
  'e\u0301',
);

describe('visible text', () => {
  it('is what the visible tokens spell, for any mix of Chinese, Latin, spaces and invisible characters', () => {
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 20 }).map((p) => p.join('')),
        fc.constantFrom('zh-CN', 'en'),
        (text, locale) => {
          expect(visibleText(text, locale)).toBe(
            visibleTokens(text, locale)
              .map((t) => t.key)
              .join(''),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
