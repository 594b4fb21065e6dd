import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { standingOf, type StandingVersion } from '../../../src/contract/standing.ts';

const v = (version: string, acceptance: 'required' | 'notice', published = version): StandingVersion => ({
  version,
  published,
  effective: version,
  acceptance,
});

describe('standingOf', () => {
  const versions = [v('2020-01-01', 'required'), v('2021-01-01', 'required'), v('2022-01-01', 'notice')];

  it('asks to accept when the newest required version in effect was not accepted, even after a notice', () => {
    const old = [{ version: '2020-01-01', type: 'accepted' as const }];
    expect(standingOf(versions, old, '2023-01-01')).toMatchObject({ needed: 'accept' });
    // Acknowledging the later notice does not stand in for accepting the required version.
    const acknowledged = [...old, { version: '2022-01-01', type: 'acknowledged' as const }];
    expect(standingOf(versions, acknowledged, '2023-01-01').needed).toBe('accept');
  });

  it('asks to acknowledge a notice in effect after the required version was accepted', () => {
    const accepted = [{ version: '2021-01-01', type: 'accepted' as const }];
    expect(standingOf(versions, accepted, '2023-01-01')).toMatchObject({
      inEffect: { version: '2022-01-01' },
      needed: 'acknowledge',
    });
    expect(standingOf(versions, accepted, '2021-06-01')).toMatchObject({
      inEffect: { version: '2021-01-01' },
      needed: 'nothing',
    });
  });

  it('ignores versions announced but not yet in effect, and needs nothing before the first one', () => {
    const announced = [...versions, v('2024-01-01', 'required', '2023-12-01')];
    const accepted = [{ version: '2022-01-01', type: 'accepted' as const }];
    expect(standingOf(announced, accepted, '2023-12-15')).toMatchObject({
      inEffect: { version: '2022-01-01' },
      needed: 'nothing',
    });
    expect(standingOf(announced, [], '2019-01-01')).toEqual({ inEffect: undefined, needed: 'nothing' });
  });

  it('needs nothing of a subject who accepted the version in effect, whatever the history', () => {
    const day = fc.integer({ min: 2000, max: 2030 }).map((year) => `${year}-01-01`);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(day, fc.constantFrom('required' as const, 'notice' as const)), {
          minLength: 1,
          selector: ([d]) => d,
        }),
        day,
        (list, today) => {
          const all = list.map(([d, mode]) => v(d, mode));
          const { inEffect } = standingOf(all, [], today);
          if (!inEffect) return;
          const after = standingOf(all, [{ version: inEffect.version, type: 'accepted' }], today);
          expect(after.needed).toBe('nothing');
          const none = standingOf(all, [], today).needed;
          const anyRequired = all.some((x) => x.acceptance === 'required' && x.effective <= today);
          expect(none).toBe(anyRequired ? 'accept' : 'acknowledge');
        },
      ),
    );
  });
});
