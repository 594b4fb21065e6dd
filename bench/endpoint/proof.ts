/**
 * bench/endpoint/proof: what proof costs the record store, and how fast proofs are answered.
 *
 * 1. Durable records per second through the SQLite store with the Merkle tree in every commit
 *    and a signed checkpoint every 1,000 records, then also with receipts: an Ed25519 signature
 *    per record (a compact JWS, by Web Crypto, as GET /v1/standing signs them), or one
 *    signature per commit group (receipt-batches.ts, in the writer thread, as the endpoint
 *    signs POST /v1/records' receipts), next to proof off (the store of commit e7f09ef, the last
 *    before any of it existed, extracted into bench/.work/ by `git archive`), same process, same run,
 *    alternating rounds. 256 concurrent one-record appends, as the endpoint's requests arrive.
 * 2. Inclusion proofs at 1,000,000 records: p50/p99 of answering `GET /v1/proof/inclusion`
 *    (the store reads and hashing behind the route) for random records in the whole tree.
 *
 *   node bench/endpoint/proof.ts [--seconds 5] [--runs 3] [--records 1000000] [--samples 5000]
 *                                [--baseline <commit>]
 *
 * With --baseline, the store of that commit (`git archive`, this checkout's node_modules) runs
 * "receipts per commit group" too, in every round: this change beside what it changes. Each
 * variant's writer thread's CPU per record is printed beside its records/s (it moves less with
 * the machine's other load than records/s do).
 *
 * Prints a table and writes bench/results/proof.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { recordId } from '../../src/contract/record-id.ts';
import type { RecordInput } from '../../src/contract/record.ts';
import { inclusionAnswer } from '../../src/server/proof/proof-answers.ts';
import { signedReceipt } from '../../src/server/proof/receipts.ts';
import { generateSigningKey, signingKeyFrom } from '../../src/server/proof/signing-keys.ts';
import { recordDraft } from '../../src/server/store/prepare-record.ts';
import type { RecordDraft, RecordStore } from '../../src/server/store/record-store.ts';
import { openSqliteStore } from '../../src/server/store/sqlite-store.ts';
import { keyFromHex } from '../../src/server/subject-keys.ts';
import { checkout, threadCpu } from './load.ts';

const root = join(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    runs: { type: 'string', default: '3' },
    records: { type: 'string', default: '1000000' },
    samples: { type: 'string', default: '5000' },
    connections: { type: 'string', default: '256' },
    baseline: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const runs = Number(values.runs);
const connections = Number(values.connections);

const keys = { current: 1, keys: new Map([[1, keyFromHex('ab'.repeat(32))]]) };
const signing = signingKeyFrom(generateSigningKey());
const ORIGIN = 'bench.invalid/assent';

function input(): RecordInput {
  return {
    id: recordId(),
    type: 'accepted',
    clientTime: new Date().toISOString(),
    subject: { kind: 'user', id: `user-${Math.random().toString(36).slice(2)}` },
    document: {
      slug: 'weisure-service-agreement',
      version: '2018-06-01',
      contentHash: `sha256:${'5b'.repeat(32)}`,
    },
    shown: {
      component: 'assent-accept',
      componentVersion: '0.1.0',
      locale: 'zh-CN',
      buttonText: '同意并继续',
      checkboxPreticked: false,
      pageOrigin: 'https://shop.example',
      pagePath: '/signup',
    },
  };
}

const draftOf = (record: RecordInput): RecordDraft =>
  recordDraft(record, { ip: '203.0.113.9', userAgent: 'Chrome/150' }, { keepIp: true, keepBrowser: true });

/**
 * The store as it was before any proof code (the last commit without it; `main` has it now),
 * extracted once: the baseline.
 */
const BASELINE_COMMIT = 'e7f09ef';

async function baselineStore(): Promise<(dir: string) => RecordStore> {
  const work = join(root, 'bench/.work', `baseline-${BASELINE_COMMIT}`);
  if (!existsSync(join(work, 'src'))) {
    mkdirSync(work, { recursive: true });
    const archive = execFileSync(
      'git',
      ['archive', BASELINE_COMMIT, 'src/server', 'src/contract', 'package.json'],
      {
        cwd: root,
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    execFileSync('tar', ['-x', '-C', work], { input: archive });
    symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
  }
  const module = await import(join(work, 'src/server/store/sqlite-store.ts'));
  return (dir) => module.openSqliteStore(dir, { commitWindowMs: 2, keys }) as RecordStore;
}

type Receipts = 'none' | 'per record' | 'per commit group';

/** Records per second with `connections` one-record appends always in flight, and the writer's CPU per record. */
async function throughput(
  store: RecordStore,
  receipts: Receipts,
  threadsBefore: Set<number>,
): Promise<{ rate: number; writerMicroseconds: number }> {
  // The writer thread is up once it has answered; it is the first this store started.
  await store.append([draftOf(input())]);
  const writer = Math.min(
    ...[...threadCpu(process.pid)]
      .filter(([tid, t]) => t.name === 'WorkerThread' && !threadsBefore.has(tid))
      .map(([tid]) => tid),
  );
  const writerCpu = () => threadCpu(process.pid).get(writer)?.seconds ?? 0;
  const cpuBefore = writerCpu();
  let done = 0;
  let running = true;
  const started = performance.now();
  const loops = Array.from({ length: connections }, async () => {
    while (running) {
      const record = input();
      const [outcome] = await store.append([draftOf(record)]);
      if (receipts === 'per record') await signedReceipt(record, outcome!.receipt, ORIGIN, signing);
      // Per commit group, the store's writer thread has signed it.
      if (receipts === 'per commit group' && !outcome!.receipt.receipt) throw new Error('no receipt');
      done++;
    }
  });
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  running = false;
  const elapsed = (performance.now() - started) / 1000;
  const counted = done;
  await Promise.all(loops);
  return { rate: counted / elapsed, writerMicroseconds: ((writerCpu() - cpuBefore) * 1e6) / done };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

const openBaseline = await baselineStore();
/** The --baseline commit's openSqliteStore, when one is given. */
const baselineCode = values.baseline ? checkout(values.baseline) : undefined;
const openBefore = baselineCode
  ? ((await import(join(baselineCode, 'src/server/store/sqlite-store.ts')))
      .openSqliteStore as typeof openSqliteStore)
  : undefined;
const BEFORE = `receipts per commit group, ${values.baseline}`;
const variants = [
  'off',
  'checkpoints',
  'receipts per record',
  'receipts per commit group',
  ...(openBefore ? [BEFORE] : []),
];
const receiptsOf: Record<string, Receipts> = {
  off: 'none',
  checkpoints: 'none',
  'receipts per record': 'per record',
  'receipts per commit group': 'per commit group',
  [BEFORE]: 'per commit group',
};
const rates: Record<string, number[]> = Object.fromEntries(variants.map((v) => [v, []]));
const writerCpu: Record<string, number[]> = Object.fromEntries(variants.map((v) => [v, []]));
for (let run = 0; run < runs; run++) {
  for (const variant of variants) {
    const dir = mkdtempSync(join(tmpdir(), 'assent-bench-proof-'));
    const threadsBefore = new Set(threadCpu(process.pid).keys());
    const open = variant === BEFORE ? openBefore! : openSqliteStore;
    const store =
      variant !== 'off'
        ? open(dir, {
            commitWindowMs: 2,
            keys,
            checkpoints: { origin: ORIGIN, everyRecords: 1000, everySeconds: 10, key: signing.portable },
            receipts: receiptsOf[variant] === 'per commit group',
          })
        : openBaseline(dir);
    const { rate, writerMicroseconds } = await throughput(store, receiptsOf[variant]!, threadsBefore);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    rates[variant]!.push(rate);
    writerCpu[variant]!.push(writerMicroseconds);
    console.log(
      `run ${run + 1}: ${variant}: ${rate.toFixed(0)} records/s, writer ${writerMicroseconds.toFixed(0)} µs CPU a record (load average ${loadavg()[0]!.toFixed(1)})`,
    );
  }
}
if (baselineCode) rmSync(baselineCode, { recursive: true, force: true });

// Inclusion proofs at scale.
const total = Number(values.records);
const dir = mkdtempSync(join(tmpdir(), 'assent-bench-proof-big-'));
const big = openSqliteStore(dir, {
  commitWindowMs: 2,
  keys,
  checkpoints: { origin: ORIGIN, everyRecords: 100_000, everySeconds: 3600, key: signing.portable },
  receipts: false,
});
const fillStarted = performance.now();
let queued = 0;
await Promise.all(
  Array.from({ length: 32 }, async () => {
    while (queued < total) {
      const n = Math.min(100, total - queued);
      queued += n;
      await big.append(Array.from({ length: n }, () => draftOf(input())));
    }
  }),
);
const fillSeconds = (performance.now() - fillStarted) / 1000;
const treeSize = await big.treeSize();
const latencies: number[] = [];
for (let i = 0; i < Number(values.samples); i++) {
  const seq = 1 + Math.floor(Math.random() * treeSize);
  const t = performance.now();
  await inclusionAnswer(big, seq, treeSize);
  latencies.push(performance.now() - t);
}
await big.close();
rmSync(dir, { recursive: true, force: true });

const results = {
  throughput: {
    connections,
    seconds,
    runs,
    offMedian: median(rates.off!),
    checkpointsMedian: median(rates.checkpoints!),
    receiptsPerRecordMedian: median(rates['receipts per record']!),
    receiptsPerCommitGroupMedian: median(rates['receipts per commit group']!),
    /** Per variant, the median over the rounds of its records/s over the same round's proof-off records/s. */
    medianRatioToOff: Object.fromEntries(
      variants.map((v) => [v, median(rates[v]!.map((rate, i) => rate / rates.off![i]!))]),
    ),
    writerCpuMicrosecondsPerRecordMedian: Object.fromEntries(variants.map((v) => [v, median(writerCpu[v]!)])),
    ...rates,
  },
  inclusion: {
    records: total,
    treeSize,
    fillSeconds,
    samples: latencies.length,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  },
};
console.table({
  'records/s, proof off (e7f09ef)': { median: results.throughput.offMedian.toFixed(0) },
  'records/s, tree + checkpoints': {
    median: `${results.throughput.checkpointsMedian.toFixed(0)} (${((100 * results.throughput.checkpointsMedian) / results.throughput.offMedian).toFixed(1)} %)`,
  },
  'records/s, + a receipt signed per record': {
    median: `${results.throughput.receiptsPerRecordMedian.toFixed(0)} (${((100 * results.throughput.receiptsPerRecordMedian) / results.throughput.offMedian).toFixed(1)} %)`,
  },
  'records/s, + receipts signed per commit group': {
    median: `${results.throughput.receiptsPerCommitGroupMedian.toFixed(0)} (${((100 * results.throughput.receiptsPerCommitGroupMedian) / results.throughput.offMedian).toFixed(1)} %)`,
  },
  ...(openBefore
    ? {
        [`records/s, + receipts per commit group, ${values.baseline}`]: {
          median: `${median(rates[BEFORE]!).toFixed(0)} (${((100 * median(rates[BEFORE]!)) / results.throughput.offMedian).toFixed(1)} %)`,
        },
      }
    : {}),
  "median of the rounds' own ratios to off": {
    median: variants
      .filter((v) => v !== 'off')
      .map((v) => `${v}: ${(100 * results.throughput.medianRatioToOff[v]!).toFixed(1)} %`)
      .join('; '),
  },
  'writer CPU µs a record': {
    median: variants
      .map((v) => `${v}: ${results.throughput.writerCpuMicrosecondsPerRecordMedian[v]!.toFixed(0)}`)
      .join('; '),
  },
  [`inclusion proof p50 at ${treeSize} records`]: { median: `${results.inclusion.p50Ms.toFixed(3)} ms` },
  [`inclusion proof p99 at ${treeSize} records`]: { median: `${results.inclusion.p99Ms.toFixed(3)} ms` },
});
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/proof.json'), `${JSON.stringify(results, null, 2)}\n`);
