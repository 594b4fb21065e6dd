/**
 * From a checked record to a store's draft: the client reduced to its network and browser
 * family (if kept at all). The store's side, `prepareRecord`, is in store/prepare-record.ts.
 */
import type { RecordInput } from '../contract/record.ts';
import { browserFamily, truncateIp } from './client-info.ts';
import type { RecordDraft } from './store/record-store.ts';

export interface ClientContext {
  ip: string | undefined;
  userAgent: string | undefined;
}

export interface Retention {
  keepIp: boolean;
  keepBrowser: boolean;
}

export function recordDraft(input: RecordInput, client: ClientContext, retention: Retention): RecordDraft {
  return {
    input,
    ip: retention.keepIp && client.ip ? truncateIp(client.ip) : null,
    browser: retention.keepBrowser ? browserFamily(client.userAgent) : null,
  };
}
