/**
 * bench/endpoint/standing: partners' reads at scale, over HTTP, on SQLite.
 *
 * 1. `GET /v1/standing` with a partner key, for random subjects: lookups/s and p50/p99
 *    (goal at 1,000,000 stored records: ≥ 5,000/s, p99 ≤ 10 ms). Subjects are drawn uniformly
 *    from all users, so nearly every answer signs its receipts afresh (in batches of those asked
 *    at once; the endpoint keeps the last 10,000 receipts: proof/receipts.ts). Beside it, "returning users": 90 % of the
 *    lookups ask about the most active 1 % of users (a partner checking its users at each
 *    login or page), the rest about anyone. And "from a page": a browser's request with a
 *    subject token for a random user and the shop's Origin (CORS), as `<assent-accept
 *    subject-token>` sends it: a token per page, sent by its two elements.
 * 2. `GET /v1/proof/inclusion` for random records in the tree of 1,000,000 (`size` given):
 *    p50/p99 (goal: p99 ≤ 5 ms).
 *
 * Each at 1,000,000 records and, side by side in the same run, at 10,000, so that what grows
 * with the store shows: one endpoint process per size, the measures taking turns.
 *
 * The stores are made by the real store (`openSqliteStore(...).append`: writer thread, hash
 * chain, Merkle tree in every commit, a signed checkpoint every 1,000 records, the subject
 * index built by the maintainer thread), appending 1,000 records per call with several calls in
 * flight, so each commit carries thousands. The records: 40 % cookie consents of anonymous
 * visitors, 60 % acceptances, refusals and acknowledgements of both documents of the test
 * manifest (three versions) by `size ÷ 5` users, 90 % of those picked uniformly, 10 % from the
 * heaviest 1 % of them, so most users have a few records and some dozens; half of the records
 * are pseudonymised under HMAC key version 1, the rest under version 2 (a rotation halfway), so
 * every lookup hashes under both and finds records under both. A made store is kept in
 * bench/.work/ (not committed) under a hash of the code that decides what is stored, so
 * reruns start at once; `--rebuild` makes it again.
 *
 * Next to each, the same store behind the endpoint as it was before this benchmark's changes
 * (`--baseline`, a commit, by default 50ec393; extracted into bench/.work/ by `git archive`), on
 * a copy of the store.
 *
 * Load: wrk when it is installed (`apt-get install wrk`), else autocannon in this process
 * (`--load autocannon` asks for it): autocannon's own processor time, about 100 µs a request
 * here, is taken from the two cores the endpoint is measured on (bench/endpoint/wrk.ts). 16
 * connections (at 5,000/s that leaves 3 ms a request on average, so the p99 goal still means
 * something), latencies per response (µs resolution). Also the endpoint's CPU time (all its threads) per request, which says what a
 * core gives when, as on this project's machine, other work shares the cores and requests/s
 * say more about the neighbours than about the code. Then each again one request at a time
 * (one connection): the latency of a request that queues behind no other. The stats maintainer is off in the
 * endpoints (`ASSENT_STATS_MAINTAINER=false`): folding a million records into the rollups
 * from nothing would otherwise compete with the measure.
 *
 *   node bench/endpoint/standing.ts [--sizes 10000,1000000] [--seconds 10] [--runs 3] [--connections 16] [--rebuild] [--baseline 50ec393]
 *                                 [--load wrk|autocannon]
 *
 * Prints a table next to the goals and writes bench/results/standing.json.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { Manifest } from '../../src/contract/manifest.ts';
import { recordId } from '../../src/contract/record-id.ts';
import type { RecordInput } from '../../src/contract/record.ts';
import { mintSubjectToken } from '../../src/contract/subject-token.ts';
import { hashPartnerKey, newPartnerKey } from '../../src/server/partners/partner-keys.ts';
import { SqlitePartnerKeys } from '../../src/server/partners/sqlite-partner-keys.ts';
import { generateSigningKey, SIGNING_KEY_FILE } from '../../src/server/proof/signing-keys.ts';
import { recordDraft } from '../../src/server/store/prepare-record.ts';
import type { RecordDraft } from '../../src/server/store/record-store.ts';
import { openSqliteStore } from '../../src/server/store/sqlite-store.ts';
import { indexNewRecords, openSubjectIndex } from '../../src/server/store/sqlite-subjects.ts';
import { keyFromHex, type SubjectKeys } from '../../src/server/subject-keys.ts';
import { manifestFile } from '../../tests/helpers/records.ts';
import { median, root, startProcess, type Server } from './load.ts';
import { wrk, wrkInstalled, type WrkRequest } from './wrk.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,1000000' },
    seconds: { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    connections: { type: 'string', default: '16' },
    rebuild: { type: 'boolean', default: false },
    baseline: { type: 'string', default: '50ec393' },
    load: { type: 'string', default: 'wrk' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const seconds = Number(values.seconds);
const runs = Number(values.runs);
const connections = Number(values.connections);

const GOALS = { standingPerSecond: 5000, standingP99Ms: 10, inclusionP99Ms: 5 };
/** wrk where it is installed (bench/endpoint/wrk.ts says why), else autocannon; `--load` chooses. */
const generator = values.load === 'autocannon' || !wrkInstalled() ? 'autocannon' : 'wrk';
const LOG_ORIGIN = 'localhost/assent';
const HMAC_KEYS = { 1: '1a'.repeat(32), 2: '2b'.repeat(32) };
const manifest: Manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
const agreement = manifest.documents.find((d) => d.slug === 'weisure-service-agreement')!;
const policy = manifest.documents.find((d) => d.slug === 'besttrav-privacy-policy')!;
const DOCUMENTS = [agreement.slug, policy.slug];

/** Users of a store of `size` records. */
const usersOf = (size: number) => Math.max(10, Math.floor(size / 5));

/** A small seeded generator (mulberry32), so a store of a given size always has the same spread. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const shown = (component: string, locale: string) => ({
  component,
  componentVersion: '0.1.0',
  locale,
  buttonText: locale === 'en' ? 'Accept and continue' : '同意并继续',
  checkboxPreticked: false,
  pageOrigin: 'https://shop.example',
  pagePath: '/signup',
});

/** The records of a store of `size`, in order. */
function* inputs(size: number): Generator<RecordInput> {
  const next = random(size);
  const users = usersOf(size);
  const heavy = Math.max(1, Math.floor(users / 100));
  for (let n = 0; n < size; n++) {
    const locale = next() < 0.3 ? 'en' : 'zh-CN';
    const base = { id: recordId(), clientTime: new Date().toISOString() };
    if (next() < 0.4) {
      const withdrawn = next() < 0.05;
      yield {
        ...base,
        type: withdrawn ? 'withdrawn' : 'consent',
        subject: { kind: 'anonymous', id: randomBytes(16).toString('hex') },
        cookies: { revision: manifest.cookies!.revision },
        choices: Object.fromEntries(
          manifest.cookies!.categories.map((c) => [
            c.id,
            c.mode === 'necessary' || (!withdrawn && next() < 0.4) ? 'granted' : 'denied',
          ]),
        ),
        shown: shown('assent-cookies', locale),
      };
      continue;
    }
    const user = next() < 0.1 ? Math.floor(next() * heavy) : Math.floor(next() * users);
    const subject = { kind: 'user' as const, id: `user-${user}` };
    if (next() < 0.6) {
      const version = agreement.versions[0]!;
      yield {
        ...base,
        type: next() < 0.15 ? 'declined' : 'accepted',
        subject,
        document: { slug: agreement.slug, version: version.version, contentHash: version.contentHash },
        shown: shown('assent-accept', locale),
      };
    } else {
      const version = policy.versions[Math.floor(next() * policy.versions.length)]!;
      const acknowledged = next() < 0.8;
      yield {
        ...base,
        type: acknowledged ? 'acknowledged' : 'accepted',
        subject,
        document: { slug: policy.slug, version: version.version, contentHash: version.contentHash },
        shown: shown(acknowledged ? 'assent-update' : 'assent-accept', locale),
      };
    }
  }
}

const keysUpTo = (current: 1 | 2): SubjectKeys => ({
  current,
  keys: new Map(
    Object.entries(HMAC_KEYS)
      .filter(([version]) => Number(version) <= current)
      .map(([version, hex]) => [Number(version), keyFromHex(hex)]),
  ),
});

/**
 * What decides the bytes of a made store: the code that prepares, seals, chains and indexes
 * records, and this file's generator and the subject index's making (the functions' text). A change to any of it makes the store again.
 */
function codeVersion(): string {
  const files = [
    'src/contract/record.ts',
    'src/contract/proof/merkle.ts',
    'src/server/record-json.ts',
    'src/server/record-hash.ts',
    'src/server/subject-keys.ts',
    'src/server/proof/merkle-tree.ts',
    'src/server/proof/node-hasher.ts',
    'src/server/store/append-plan.ts',
    'src/server/store/seal.ts',
    'src/server/store/prepare-record.ts',
    'src/server/store/sqlite-file.ts',
    'src/server/store/sqlite-writer.ts',
    ...readdirSync(join(root, 'src/server/store/migrations/sqlite')).map(
      (f) => `src/server/store/migrations/sqlite/${f}`,
    ),
  ];
  // The subject index's file: how it is made and filled (its readers may change freely).
  const hash = createHash('sha256').update(
    `${usersOf}${inputs}${append}${openSubjectIndex}${indexNewRecords}`,
  );
  for (const file of files.sort()) hash.update(file).update(readFileSync(join(root, file)));
  return hash.digest('hex').slice(0, 12);
}

interface Made {
  dir: string;
  size: number;
  users: number;
  partnerKey: string;
  /** A key for the shop's pages (PAGE_ORIGIN), whose subject tokens a browser sends. */
  pageKey: { id: string; secret: string };
  buildSeconds: number;
}

const PAGE_ORIGIN = 'https://shop.example';

/**
 * Adds the page key to a store made before the bench asked from a browser: a partner key only,
 * which decides nothing of the records, so the store is not made again for it.
 */
async function withPageKey(dir: string, about: string): Promise<Made> {
  const info = JSON.parse(readFileSync(about, 'utf8'));
  if (!info.pageKey) {
    const page = newPartnerKey({ name: 'bench pages', origins: [PAGE_ORIGIN], documents: DOCUMENTS });
    const keys = new SqlitePartnerKeys(dir);
    await keys.add(page.key, page.keyHash);
    await keys.close();
    info.pageKey = { id: page.key.id, secret: page.secret };
    writeFileSync(about, `${JSON.stringify(info, null, 2)}\n`);
  }
  return { dir, ...info };
}

async function append(dir: string, keys: SubjectKeys, records: Iterator<RecordInput>, count: number) {
  const signing = JSON.parse(readFileSync(join(dir, SIGNING_KEY_FILE), 'utf8')).keys[0];
  const store = openSqliteStore(dir, {
    commitWindowMs: 2,
    keys,
    checkpoints: { origin: LOG_ORIGIN, everyRecords: 1000, everySeconds: 10, key: signing },
  });
  const draft = (input: RecordInput): RecordDraft =>
    recordDraft(input, { ip: '203.0.113.9', userAgent: 'Chrome/150' }, { keepIp: true, keepBrowser: true });
  let left = count;
  // Every append call carries 1,000 records (and so every commit at least that many, each
  // signing a checkpoint): the last one ends exactly at the store's size.
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (left > 0) {
        const n = Math.min(1000, left);
        left -= n;
        const drafts: RecordDraft[] = [];
        for (let i = 0; i < n; i++) drafts.push(draft(records.next().value as RecordInput));
        await store.append(drafts);
      }
    }),
  );
  // The subject index is the maintainer's: wait until it reaches the last record.
  const total = await store.treeSize();
  while (store.subjectIndexReach() < total) await new Promise((resolve) => setTimeout(resolve, 100));
  await store.close();
}

async function made(size: number): Promise<Made> {
  const dir = join(root, 'bench/.work', `standing-${codeVersion()}-${size}`);
  const about = join(dir, 'bench-store.json');
  if (values.rebuild) rmSync(dir, { recursive: true, force: true });
  if (existsSync(about)) return withPageKey(dir, about);

  const building = `${dir}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const key = generateSigningKey();
  writeFileSync(
    join(building, SIGNING_KEY_FILE),
    `${JSON.stringify({ current: key.kid, keys: [key] }, null, 2)}\n`,
    { mode: 0o600 },
  );
  const started = performance.now();
  const records = inputs(size);
  const half = Math.floor(size / 2);
  console.error(`making a store of ${size} records in ${building}`);
  await append(building, keysUpTo(1), records, half);
  await append(building, keysUpTo(2), records, size - half);
  writeFileSync(
    join(building, 'hmac-keys.json'),
    `${JSON.stringify({ current: 2, keys: HMAC_KEYS }, null, 2)}\n`,
    { mode: 0o600 },
  );
  const partner = newPartnerKey({ name: 'bench backend', origins: [], documents: DOCUMENTS });
  const keys = new SqlitePartnerKeys(building);
  await keys.add(partner.key, hashPartnerKey(partner.secret));
  await keys.close();
  const buildSeconds = (performance.now() - started) / 1000;
  const info = { size, users: usersOf(size), partnerKey: partner.secret, buildSeconds };
  writeFileSync(join(building, 'bench-store.json'), `${JSON.stringify(info, null, 2)}\n`);
  renameSync(building, dir);
  console.error(`made it in ${buildSeconds.toFixed(0)} s`);
  return withPageKey(dir, join(dir, 'bench-store.json'));
}

interface Measure {
  requestsPerSecond: number;
  /** The endpoint process's CPU time (all threads) per answered request. */
  cpuMsPerRequest: number;
  ok: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
  /** The machine's 1-minute load average as the measure ended: how shared the cores were. */
  loadAverage: number;
}

const percentile = (sorted: Float64Array, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

/** CPU milliseconds a process has used so far, all its threads (utime + stime of /proc/<pid>/stat). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/**
 * autocannon with a path per request; latencies from each response, in fractions of a
 * millisecond; and the server's CPU per request, which says what a core would give when the
 * machine is shared (requests/s then depend on what else runs).
 */
/** A request's path, or its path and the headers it sends beyond the measure's. */
type Next = () => string | { path: string; headers: Record<string, string> };

async function load(
  server: Server,
  path: Next,
  headers: Record<string, string>,
  concurrency = connections,
): Promise<Measure> {
  return generator === 'wrk'
    ? loadByWrk(server, path, headers, concurrency)
    : loadByAutocannon(server, path, headers, concurrency);
}

/**
 * The same by wrk: the requests made ahead (enough for 12,000 a second, or 4,000 one at a time;
 * past that they come round again), latencies from wrk's histogram (µs resolution).
 */
function loadByWrk(
  server: Server,
  path: Next,
  headers: Record<string, string>,
  concurrency: number,
): Measure {
  const count = Math.ceil(seconds * (concurrency > 1 ? 12_000 : 4_000));
  const requests: WrkRequest[] = Array.from({ length: count }, () => {
    const next = path();
    return typeof next === 'string'
      ? { path: next, headers }
      : { path: next.path, headers: { ...headers, ...next.headers } };
  });
  const cpuBefore = cpuMs(server.pid);
  const run = wrk(server.url, requests, { connections: concurrency, seconds });
  return {
    requestsPerSecond: run.ok / run.seconds,
    cpuMsPerRequest: (cpuMs(server.pid) - cpuBefore) / run.ok,
    ok: run.ok,
    failed: run.failed,
    p50Ms: run.p50Ms,
    p99Ms: run.p99Ms,
    loadAverage: loadavg()[0]!,
  };
}

function loadByAutocannon(
  server: Server,
  path: Next,
  headers: Record<string, string>,
  concurrency: number,
): Promise<Measure> {
  const latencies: number[] = [];
  const cpuBefore = cpuMs(server.pid);
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: server.url,
        connections: concurrency,
        duration: seconds,
        headers,
        requests: [
          {
            setupRequest: (request: autocannon.Request) => {
              const next = path();
              return typeof next === 'string'
                ? { ...request, path: next }
                : { ...request, path: next.path, headers: { ...request.headers, ...next.headers } };
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        const sorted = Float64Array.from(latencies).sort();
        resolve({
          requestsPerSecond: result['2xx'] / result.duration,
          cpuMsPerRequest: (cpuMs(server.pid) - cpuBefore) / result['2xx'],
          ok: result['2xx'],
          failed: result.non2xx + result.errors + result.timeouts,
          p50Ms: percentile(sorted, 0.5),
          p99Ms: percentile(sorted, 0.99),
          loadAverage: loadavg()[0]!,
        });
      },
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status === 200) latencies.push(ms);
    });
  });
}

/**
 * The endpoint at `--baseline` (by default 50ec393, before this benchmark's changes to the read
 * paths), extracted once into bench/.work/ by `git archive`: the baseline, run on a copy of the
 * same store.
 */
const BASELINE_COMMIT = values.baseline;

function baselineCli(): string {
  const work = join(root, 'bench/.work', `baseline-${BASELINE_COMMIT}`);
  if (!existsSync(join(work, 'src'))) {
    mkdirSync(work, { recursive: true });
    const archive = execFileSync('git', ['archive', BASELINE_COMMIT, 'src', 'package.json'], {
      cwd: root,
      maxBuffer: 256 * 1024 * 1024,
    });
    execFileSync('tar', ['-x', '-C', work], { input: archive });
    symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
  }
  return join(work, 'src/cli/assent.ts');
}

interface Target {
  made: Made;
  code: 'this' | 'baseline';
  server: Server;
  standing(): Promise<Measure>;
  inclusion(): Promise<Measure>;
  /** The same, one request at a time: latency without queueing behind the others. */
  standingAlone(): Promise<Measure>;
  standingReturning(): Promise<Measure>;
  /** From a shop page: a subject token, and the page's Origin (CORS). */
  standingBrowser(): Promise<Measure>;
  inclusionAlone(): Promise<Measure>;
}

async function target(size: number, code: Target['code']): Promise<Target> {
  const store = await made(size);
  let dir = store.dir;
  if (code === 'baseline') {
    // Its own copy: one endpoint per data folder (the folder's lock).
    dir = `${store.dir}.baseline-copy`;
    rmSync(dir, { recursive: true, force: true });
    execFileSync('cp', ['-r', '--reflink=auto', store.dir, dir]);
    rmSync(join(dir, 'assent.lock'), { force: true });
  }
  const server = await startProcess(
    [
      code === 'baseline' ? baselineCli() : join(root, 'src/cli/assent.ts'),
      'serve',
      '--port',
      '0',
      '--data',
      dir,
      '--manifest',
      manifestFile,
      '--rate-limit',
      '0',
    ],
    { ASSENT_STATS_MAINTAINER: 'false' },
  );
  const next = random(size + 1);
  const auth = { authorization: `Bearer ${store.partnerKey}` };
  const standingPath = () =>
    `/v1/standing?subject=user-${Math.floor(next() * store.users)}&document=${DOCUMENTS[Math.floor(next() * 2)]}`;
  const active = Math.max(1, Math.floor(store.users / 100));
  const returningPath = () =>
    `/v1/standing?subject=user-${Math.floor(next() * (next() < 0.9 ? active : store.users))}&document=${DOCUMENTS[Math.floor(next() * 2)]}`;
  const inclusionPath = () => `/v1/proof/inclusion?seq=${1 + Math.floor(next() * size)}&size=${size}`;
  await check(server.url, auth, store);
  return {
    made: store,
    code,
    server,
    standing: () => load(server, standingPath, auth),
    inclusion: () => load(server, inclusionPath, {}),
    standingAlone: () => load(server, standingPath, auth, 1),
    standingReturning: () => load(server, returningPath, auth),
    standingBrowser: async () => {
      // As a shop's backend mints them, one per page, for random users: each page's two elements
      // (<assent-accept> for the agreement, <assent-update> for the policy) send it once each.
      // Minted before the clock starts, enough for 3,000 requests/s (past that they come round again).
      const tokens = await Promise.all(
        Array.from({ length: Math.ceil((seconds * 3000) / 2) }, () =>
          mintSubjectToken({
            partnerKey: store.pageKey.secret,
            partnerId: store.pageKey.id,
            subject: `user-${Math.floor(next() * store.users)}`,
          }),
        ),
      );
      let sent = 0;
      return load(
        server,
        () => {
          const n = sent++;
          return {
            path: `/v1/standing?document=${DOCUMENTS[n % 2]}`,
            headers: { authorization: `Bearer ${tokens[Math.floor(n / 2) % tokens.length]}` },
          };
        },
        { origin: PAGE_ORIGIN },
      );
    },
    inclusionAlone: () => load(server, inclusionPath, {}, 1),
  };
}

/** Before measuring: the endpoint answers as the store says (a heavy user has accepted, also to a page; the proof is at `size`). */
async function check(url: string, auth: Record<string, string>, store: Made): Promise<void> {
  const standing = await fetch(`${url}/v1/standing?subject=user-0&document=${agreement.slug}`, {
    headers: auth,
  });
  const answer = (await standing.json()) as { documents: Array<{ latest: unknown }> };
  if (!standing.ok || !answer.documents[0]?.latest)
    throw new Error(`standing at ${store.size}: ${standing.status} ${JSON.stringify(answer)}`);
  const token = await mintSubjectToken({
    partnerKey: store.pageKey.secret,
    partnerId: store.pageKey.id,
    subject: 'user-0',
  });
  const page = await fetch(`${url}/v1/standing?document=${agreement.slug}`, {
    headers: { authorization: `Bearer ${token}`, origin: PAGE_ORIGIN },
  });
  if (!page.ok || page.headers.get('access-control-allow-origin') !== PAGE_ORIGIN)
    throw new Error(`standing from a page at ${store.size}: ${page.status} ${await page.text()}`);
  const proof = await fetch(`${url}/v1/proof/inclusion?seq=1&size=${store.size}`);
  const body = (await proof.json()) as { treeSize?: number; checkpoint?: string | null };
  if (!proof.ok || body.treeSize !== store.size || !body.checkpoint)
    throw new Error(`inclusion proof at ${store.size}: ${proof.status} ${JSON.stringify(body)}`);
}

const targets: Target[] = [];
// The baseline's copy is made before any endpoint opens the store.
for (const size of sizes)
  for (const code of ['baseline', 'this'] as const) targets.push(await target(size, code));
const KINDS = [
  'standing',
  'standingAlone',
  'standingReturning',
  'standingBrowser',
  'inclusion',
  'inclusionAlone',
] as const;
const measured = targets.map(
  () =>
    Object.fromEntries(KINDS.map((k) => [k, [] as Measure[]])) as Record<(typeof KINDS)[number], Measure[]>,
);
const name = (t: Target) =>
  `${t.code === 'this' ? 'this code' : `baseline ${BASELINE_COMMIT}`} at ${t.made.size}`;
try {
  // Warm each (JIT, page cache) before the clock counts: its files read through once, as an
  // endpoint that has been answering for a while has them in the operating system's cache.
  for (const t of targets) {
    const dir = t.code === 'baseline' ? `${t.made.dir}.baseline-copy` : t.made.dir;
    for (const file of readdirSync(dir))
      execFileSync('cat', [join(dir, file)], { stdio: ['ignore', 'ignore', 'inherit'] });
    await load(t.server, () => `/v1/standing?subject=user-1&document=${agreement.slug}`, {
      authorization: `Bearer ${t.made.partnerKey}`,
    });
  }
  for (let run = 1; run <= runs; run++) {
    for (const kind of KINDS) {
      // Alternate the order, so that no endpoint always gets the cooler machine.
      const order = run % 2 ? targets.map((_, i) => i) : targets.map((_, i) => targets.length - 1 - i);
      for (const i of order) {
        const m = await targets[i]![kind]();
        measured[i]![kind].push(m);
        console.error(
          `run ${run}/${runs}: ${kind}, ${name(targets[i]!)}: ${m.requestsPerSecond.toFixed(0)}/s, ${m.cpuMsPerRequest.toFixed(3)} CPU ms each, p50 ${m.p50Ms.toFixed(2)} ms, p99 ${m.p99Ms.toFixed(2)} ms, load average ${m.loadAverage.toFixed(1)}${m.failed ? `, ${m.failed} failed` : ''}`,
        );
      }
    }
  }
} finally {
  for (const t of targets) await t.server.stop();
  for (const t of targets)
    if (t.code === 'baseline') rmSync(`${t.made.dir}.baseline-copy`, { recursive: true, force: true });
}

const summary = (ms: Measure[]) => ({
  requestsPerSecond: median(ms.map((m) => m.requestsPerSecond)),
  cpuMsPerRequest: median(ms.map((m) => m.cpuMsPerRequest)),
  p50Ms: median(ms.map((m) => m.p50Ms)),
  p99Ms: median(ms.map((m) => m.p99Ms)),
  loadAverage: median(ms.map((m) => m.loadAverage)),
  failed: ms.reduce((n, m) => n + m.failed, 0),
  runs: ms,
});
const results = {
  date: new Date().toISOString(),
  node: process.version,
  load: generator,
  seconds,
  runs,
  connections,
  goals: GOALS,
  baselineCommit: BASELINE_COMMIT,
  loadAverage: loadavg(),
  endpoints: targets.map((t, i) => ({
    code: t.code,
    records: t.made.size,
    users: t.made.users,
    buildSeconds: t.made.buildSeconds,
    standing: summary(measured[i]!.standing),
    standingAlone: summary(measured[i]!.standingAlone),
    standingReturning: summary(measured[i]!.standingReturning),
    standingBrowser: summary(measured[i]!.standingBrowser),
    inclusion: summary(measured[i]!.inclusion),
    inclusionAlone: summary(measured[i]!.inclusionAlone),
  })),
};

const row = (s: ReturnType<typeof summary>) =>
  `${s.requestsPerSecond.toFixed(0)}/s, ${s.cpuMsPerRequest.toFixed(3)} CPU ms each, p50 ${s.p50Ms.toFixed(2)} ms, p99 ${s.p99Ms.toFixed(2)} ms (load ${s.loadAverage.toFixed(1)})`;
console.table(
  Object.fromEntries([
    ...targets.map((t, i) => [`standing, ${name(t)}`, { median: row(results.endpoints[i]!.standing) }]),
    ...targets.map((t, i) => [
      `standing one at a time, ${name(t)}`,
      { median: row(results.endpoints[i]!.standingAlone) },
    ]),
    ...targets.map((t, i) => [
      `standing, returning users, ${name(t)}`,
      { median: row(results.endpoints[i]!.standingReturning) },
    ]),
    ...targets.map((t, i) => [
      `standing from a page (subject token), ${name(t)}`,
      { median: row(results.endpoints[i]!.standingBrowser) },
    ]),
    [
      'standing goal at 1000000',
      { median: `≥ ${GOALS.standingPerSecond}/s, p99 ≤ ${GOALS.standingP99Ms} ms` },
    ],
    ...targets.map((t, i) => [
      `inclusion proof, ${name(t)}`,
      { median: row(results.endpoints[i]!.inclusion) },
    ]),
    ...targets.map((t, i) => [
      `inclusion proof one at a time, ${name(t)}`,
      { median: row(results.endpoints[i]!.inclusionAlone) },
    ]),
    ['inclusion goal at 1000000', { median: `p99 ≤ ${GOALS.inclusionP99Ms} ms` }],
  ]),
);
console.log(`load generator: ${generator}`);
console.log(
  `load average during the run: ${loadavg()
    .map((n) => n.toFixed(1))
    .join(', ')}`,
);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/standing.json'), `${JSON.stringify(results, null, 2)}\n`);
