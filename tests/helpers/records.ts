import { randomUUID } from 'node:crypto';
import { recordId } from '../../src/contract/record-id.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '../../src/contract/manifest.ts';
import type { RecordInput } from '../../src/contract/record.ts';
import { recordDraft } from '../../src/server/store/prepare-record.ts';
import type { RecordDraft } from '../../src/server/store/record-store.ts';
import { keyFromHex, type SubjectKeys } from '../../src/server/subject-keys.ts';
import { projectRoot } from './paths.ts';

export const manifestFile = join(projectRoot, 'tests/fixtures/manifest.json');
export const manifest: Manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));

const agreement = manifest.documents.find((d) => d.slug === 'weisure-service-agreement')!.versions[0]!;
export const PAGE_ORIGIN = 'https://shop.example';

/** A valid `accepted` record for the seed agreement; override any field. */
export function acceptance(overrides: Partial<RecordInput> = {}): RecordInput {
  return {
    id: recordId(),
    type: 'accepted',
    clientTime: new Date().toISOString(),
    subject: { kind: 'user', id: 'user-42' },
    document: {
      slug: 'weisure-service-agreement',
      version: agreement.version,
      contentHash: agreement.contentHash,
    },
    shown: {
      component: 'assent-accept',
      componentVersion: '0.1.0',
      locale: 'zh-CN',
      buttonText: '同意并继续',
      checkboxPreticked: false,
      pageOrigin: PAGE_ORIGIN,
      pagePath: '/signup',
    },
    ...overrides,
  };
}

/** A valid `consent` record answering every published cookie category. */
export function consent(
  choices: Record<string, 'granted' | 'denied'> = {},
  overrides: Partial<RecordInput> = {},
): RecordInput {
  const cookies = manifest.cookies!;
  return {
    ...acceptance(),
    type: 'consent',
    subject: { kind: 'anonymous', id: randomUUID() },
    document: undefined,
    cookies: { revision: cookies.revision },
    choices: Object.fromEntries(
      cookies.categories.map((c) => [c.id, choices[c.id] ?? (c.mode === 'necessary' ? 'granted' : 'denied')]),
    ),
    shown: { ...acceptance().shown, component: 'assent-cookies', buttonText: '全部拒绝' },
    ...overrides,
  };
}

export const testKeys: SubjectKeys = { current: 1, keys: new Map([[1, keyFromHex('07'.repeat(32))]]) };

/** A record as the route hands it to the store. */
export function draft(input: RecordInput = acceptance()): RecordDraft {
  return recordDraft(
    input,
    { ip: '203.0.113.9', userAgent: 'Mozilla/5.0 Chrome/150.0' },
    { keepIp: true, keepBrowser: true },
  );
}
