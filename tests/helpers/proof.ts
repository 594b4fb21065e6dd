import type { CheckpointSettings } from '../../src/server/store/checkpointing.ts';
import { generateSigningKey } from '../../src/server/proof/signing-keys.ts';
import type { RecordReader } from '../../src/server/store/record-store.ts';

export const TEST_ORIGIN = 'assent.test/records';

/** Checkpoint settings with a fresh key; every 5 records or 60 seconds unless told otherwise. */
export function testCheckpoints(overrides: Partial<CheckpointSettings> = {}): CheckpointSettings {
  return { origin: TEST_ORIGIN, everyRecords: 5, everySeconds: 60, key: generateSigningKey(), ...overrides };
}

/** The stored records' chain hashes, oldest first. */
export async function recordHashes(reader: RecordReader): Promise<string[]> {
  const hashes: string[] = [];
  for await (const link of reader.links()) hashes.push(link.hash);
  return hashes;
}
