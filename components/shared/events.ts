/**
 * The events Assent elements fire: `assent-<verb>`, bubbling and composed, so a host hears
 * them on the element or any ancestor. What a host may stop (`assent-accept`) is cancelable
 * and fires first; the completion follows.
 */
import type { RecordReceipt } from '../../src/contract/record.ts';
import type { DeliveryError } from './outbox.ts';

export interface DocumentDetail {
  /** The document's slug. */
  document: string;
  version: string;
  /** The content hash of the version shown. */
  hash: string;
}

export interface RecordDetail extends DocumentDetail {
  /** The record's id (a UUID), the key to find it at the endpoint. */
  record: string;
}

export interface ConsentDetail {
  /** The cookie configuration revision answered. */
  revision: string;
  /** Every category, granted or denied. */
  choices: Record<string, 'granted' | 'denied'>;
  /** The anonymous consent id kept in the cookie and sent as the record's subject. */
  consentId: string;
  record: string;
}

export interface RecordedDetail {
  record: string;
  receipt: RecordReceipt;
}

export interface ErrorDetail extends Partial<DeliveryError> {
  message: string;
  /** The record concerned, if any. */
  record?: string;
  /** True when the subject token was refused or standing could not be asked (the element works on as without one). */
  subjectToken?: boolean;
}

export class AssentEvent<T> extends Event {
  readonly detail: T;
  constructor(type: string, detail: T, cancelable = false) {
    super(type, { bubbles: true, composed: true, cancelable });
    this.detail = detail;
  }
}

/** One `Event` subclass per event type, its detail typed. */
export const eventClass = <T>(type: string, cancelable?: boolean) =>
  class extends AssentEvent<T> {
    constructor(detail: T) {
      super(type, detail, cancelable);
    }
  };

// The classes of the next four are made in documents.ts, with the two elements that fire them
// (not on the cookie banner's path); their types are here with the others.

/** `assent-accept`: before a record is made; cancel it to stop the acceptance. */
export type AssentAcceptEvent = AssentEvent<DocumentDetail>;

/** `assent-accepted`: the user accepted; the record is queued. */
export type AssentAcceptedEvent = AssentEvent<RecordDetail>;

/** `assent-declined`: the user declined; a `declined` record is queued. */
export type AssentDeclinedEvent = AssentEvent<RecordDetail>;

/** `assent-acknowledged`: the user dismissed an update notice; an `acknowledged` record is queued. */
export type AssentAcknowledgedEvent = AssentEvent<RecordDetail>;

/** `assent-consent-changed`: the user made or changed a cookie choice; a `consent` record is queued. */
export const AssentConsentChangedEvent = /* @__PURE__ */ eventClass<ConsentDetail>('assent-consent-changed');
export type AssentConsentChangedEvent = InstanceType<typeof AssentConsentChangedEvent>;

/** `assent-recorded`: the endpoint confirmed a record; it is durable. */
export const AssentRecordedEvent = /* @__PURE__ */ eventClass<RecordedDetail>('assent-recorded');
export type AssentRecordedEvent = InstanceType<typeof AssentRecordedEvent>;

/** `assent-error`: the manifest did not load, or a record was not (yet) stored. */
export const AssentErrorEvent = /* @__PURE__ */ eventClass<ErrorDetail>('assent-error');
export type AssentErrorEvent = InstanceType<typeof AssentErrorEvent>;

declare global {
  interface GlobalEventHandlersEventMap {
    'assent-accept': AssentAcceptEvent;
    'assent-accepted': AssentAcceptedEvent;
    'assent-declined': AssentDeclinedEvent;
    'assent-acknowledged': AssentAcknowledgedEvent;
    'assent-consent-changed': AssentConsentChangedEvent;
    'assent-recorded': AssentRecordedEvent;
    'assent-error': AssentErrorEvent;
  }
}
