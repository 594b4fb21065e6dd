import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64 } from '../../../src/contract/proof/bytes.ts';
import { verifyCheckpoint } from '../../../src/contract/proof/checkpoint.ts';
import { verifyRecordInclusion } from '../../../src/contract/proof/inclusion.ts';
import { verifyConsistency } from '../../../src/contract/proof/merkle.ts';
import {
  checkpointAnswer,
  consistencyAnswer,
  inclusionAnswer,
  ProofRangeError,
} from '../../../src/server/proof/proof-answers.ts';
import { openSqliteStore, type SqliteStore } from '../../../src/server/store/sqlite-store.ts';
import { testCheckpoints, TEST_ORIGIN } from '../../helpers/proof.ts';
import { draft, testKeys } from '../../helpers/records.ts';

describe('proof answers, checked as a partner would', () => {
  let store: SqliteStore;
  let jwks: unknown;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assent-proofs-'));
    store = openSqliteStore(dir, {
      commitWindowMs: 0,
      keys: testKeys,
      checkpoints: testCheckpoints({ everyRecords: 10 }),
    });
    // Checkpoints at 12 (the first commit) and 24.
    await store.append(Array.from({ length: 12 }, () => draft()));
    await store.append(Array.from({ length: 12 }, () => draft()));
    jwks = { keys: await store.publicKeys() };
  });
  afterAll(() => store.close());

  it('proves a record in the newest checkpoint', async () => {
    const latest = (await checkpointAnswer(store))!;
    expect(latest.treeSize).toBe(24);
    const answer = await inclusionAnswer(store, 7, undefined);
    expect(answer).toMatchObject({ seq: 7, leafIndex: 6, treeSize: 24, checkpoint: latest.note });
    const checkpoint = await verifyRecordInclusion(answer, jwks, { origin: TEST_ORIGIN });
    expect(checkpoint.treeSize).toBe(24);
  });

  it('refuses the proof when the record hash or a path element is not the one proven', async () => {
    const answer = await inclusionAnswer(store, 7, 12);
    await expect(
      verifyRecordInclusion(answer, jwks, { recordHash: `sha256:${'0'.repeat(64)}` }),
    ).rejects.toThrow(/not sha256:0000/);
    const path = [...answer.path];
    path[1] = path[0]!;
    await expect(verifyRecordInclusion({ ...answer, path }, jwks)).rejects.toThrow(
      /is not in the tree of 12/,
    );
  });

  it('proves the newest checkpoint consistent with the earlier one', async () => {
    const first = await verifyCheckpoint((await store.checkpoint(12))!.note, jwks);
    const latest = await verifyCheckpoint((await store.checkpoint())!.note, jwks);
    const answer = await consistencyAnswer(store, 12, 24);
    const proof = { fromSize: 12, toSize: 24, path: answer.path.map(fromBase64) };
    expect(await verifyConsistency(proof, first.rootHash, latest.rootHash)).toBe(true);
  });

  it('says what the tree holds when asked past it', async () => {
    await expect(inclusionAnswer(store, 25, undefined)).rejects.toThrow(ProofRangeError);
    await expect(inclusionAnswer(store, 3, 30)).rejects.toThrow('the tree has 24 records, not 30');
    await expect(consistencyAnswer(store, 20, 12)).rejects.toThrow('from (20) is past to (12)');
  });
});
