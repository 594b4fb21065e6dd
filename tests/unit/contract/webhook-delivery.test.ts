import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deliveryErrorText,
  parseDeliveryError,
  type DeliveryFailure,
} from '../../../src/contract/webhooks.ts';

const failure: fc.Arbitrary<DeliveryFailure> = fc.oneof(
  fc.record({ kind: fc.constant('status' as const), status: fc.integer({ min: 100, max: 599 }) }),
  fc.record({
    kind: fc.constant('timeout' as const),
    seconds: fc.oneof(
      fc.integer({ min: 1, max: 600 }),
      fc.integer({ min: 1, max: 9999 }).map((ms) => ms / 1000),
    ),
  }),
  fc.record({ kind: fc.constant('unreachable' as const), detail: fc.string() }),
);

describe('delivery errors, as the endpoint stores them and the console reads them', () => {
  it('reads back every failure the endpoint writes', () => {
    fc.assert(
      fc.property(failure, (f) => {
        expect(parseDeliveryError(deliveryErrorText(f))).toEqual(f);
      }),
    );
  });

  it('reads texts stored before the failure kinds existed', () => {
    expect(parseDeliveryError('no answer: fetch failed')).toEqual({
      kind: 'unreachable',
      detail: 'fetch failed',
    });
    expect(parseDeliveryError('the receiver answered 503')).toEqual({ kind: 'status', status: 503 });
  });

  it('leaves a text of another shape unread, for the console to show as it is', () => {
    for (const text of ['', 'the receiver answered', 'the receiver answered 5000', 'receiver down'])
      expect(parseDeliveryError(text), text).toBeUndefined();
  });
});
