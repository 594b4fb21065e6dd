import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/server/canonical-json.ts';
import { browserFamily, truncateIp } from '../../../src/server/client-info.ts';
import { prepareRecord } from '../../../src/server/store/prepare-record.ts';
import { recordBody, sentJson } from '../../../src/server/record-json.ts';
import { acceptance, consent, draft, testKeys } from '../../helpers/records.ts';

describe('canonical JSON', () => {
  it('sorts keys, drops undefined, and escapes like JSON.stringify', () => {
    expect(canonicalJson({ b: 1, a: [true, null, '引号"'], c: undefined })).toBe(
      '{"a":[true,null,"引号\\""],"b":1}',
    );
  });

  it('refuses numbers it cannot write canonically', () => {
    expect(() => canonicalJson({ x: 1.5 })).toThrow(/integers only/);
  });
});

describe('client information', () => {
  it('truncates IPv4 to /24 and IPv6 to /48', () => {
    expect(truncateIp('203.0.113.77')).toBe('203.0.113.0/24');
    expect(truncateIp('::ffff:203.0.113.77')).toBe('203.0.113.0/24');
    expect(truncateIp('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
    expect(truncateIp('2001:db8::1')).toBe('2001:db8::/48');
    expect(truncateIp('not an address')).toBeNull();
  });

  it('keeps only the browser family', () => {
    const ua = {
      chrome:
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.0.0 Safari/537.36',
      edge: 'Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0 Safari/537.36 Edg/150.0',
      safari:
        'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1',
      wechat:
        'Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50 NetType/WIFI',
      firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0',
    };
    expect(Object.values(ua).map(browserFamily)).toEqual(['Chrome', 'Edge', 'Safari', 'WeChat', 'Firefox']);
    expect(browserFamily('curl/8.0')).toBe('Other');
    expect(browserFamily(undefined)).toBeNull();
  });
});

describe('canonical JSON of records', () => {
  const base = consent({ marketing: 'granted', analytics: 'denied' });
  const variants = [
    base,
    { ...acceptance(), shown: { ...acceptance().shown, buttonText: 'Accept "all" \u2028 \\ 接受 😀' } },
    { ...base, choices: Object.fromEntries(Object.entries(base.choices!).reverse()) },
  ];

  it('writes the same bytes as the generic canonical JSON, whatever order the client used', () => {
    for (const input of variants) {
      const prepared = prepareRecord(draft(input), testKeys);
      const full = {
        ...prepared,
        seq: 7,
        serverTime: '2026-11-23T10:00:00.000Z',
        prevHash: `sha256:${'0'.repeat(64)}`,
      };
      expect(recordBody(full)).toBe(canonicalJson(full as never));
      const sent = { ...input, subject: { kind: prepared.subject.kind, hash: prepared.subject.hash } };
      expect(sentJson(sent)).toBe(canonicalJson(sent as never));
    }
  });

  it('sees an identical retry as the same record even if its keys come in another order', () => {
    const reversed = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).reverse()) as T;
    const shuffled = { ...reversed(base), shown: reversed(base.shown), subject: reversed(base.subject) };
    expect(Object.keys(shuffled)[0]).not.toBe(Object.keys(base)[0]);
    expect(sentJson(prepareRecord(draft(shuffled), testKeys))).toBe(
      sentJson(prepareRecord(draft(base), testKeys)),
    );
  });

  it('compares a stored record, whose absent members are null, with a new one', () => {
    const prepared = prepareRecord(draft(acceptance()), testKeys);
    const stored = JSON.parse(recordBody({ ...prepared, seq: 1, serverTime: 'x', prevHash: 'y' }));
    expect(stored.choices).toBeNull();
    expect(sentJson(stored)).toBe(sentJson(prepared));
  });
});
