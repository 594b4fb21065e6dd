/**
 * A failed call as the operator reads it. A refused token (401) means the session is over:
 * the view tells the app (`assent-console-signed-out`), which shows the sign-in again.
 */
import { ApiError } from '../api.ts';
import type { Translate } from '../locales.ts';

export class SignedOutEvent extends Event {
  constructor() {
    super('assent-console-signed-out', { bubbles: true, composed: true });
  }
}

export function describeError(error: unknown, t: Translate, from: EventTarget): string {
  if (error instanceof ApiError) {
    if (error.status === 401) {
      from.dispatchEvent(new SignedOutEvent());
      return t('error.expired');
    }
    return error.message;
  }
  return t('error.network', (error as Error).message);
}

declare global {
  interface GlobalEventHandlersEventMap {
    'assent-console-signed-out': SignedOutEvent;
  }
}
