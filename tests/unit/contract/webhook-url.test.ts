import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { webhookUrlProblem } from '../../../src/contract/webhooks.ts';

describe('webhookUrlProblem', () => {
  it('accepts every absolute http and https URL', () => {
    fc.assert(
      fc.property(fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true }), (url) => {
        expect(webhookUrlProblem(url)).toBeUndefined();
      }),
    );
  });

  it('refuses any other scheme as not http', () => {
    const scheme = fc.stringMatching(/^[a-z][a-z0-9+.-]{0,9}$/).filter((s) => s !== 'http' && s !== 'https');
    fc.assert(
      fc.property(scheme, fc.domain(), (name, host) => {
        expect(webhookUrlProblem(`${name}://${host}/hooks`)).toBe('not-http');
      }),
    );
  });

  it('refuses text that is not an absolute URL', () => {
    for (const text of ['shop.example/hooks', '/hooks', '', 'https://', 'http:// spaced.example/'])
      expect(webhookUrlProblem(text), text).toBe('not-a-url');
  });
});
