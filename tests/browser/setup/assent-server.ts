/**
 * The real things the browser tests run against, started by the test runner (Node side):
 *
 * - a site built with `astro build` from a copy of content/ with three additions, so every
 *   behaviour has something to show: the agreement gets a `required` version (2024-01-01), the
 *   privacy policy an announced one (published 2025-01-01, effective 2099-01-01), and the
 *   functional cookie category becomes `opt-out` (for Global Privacy Control). It is built as
 *   of today, so the components (on the real clock) and the site agree. Served at `/site/`, so
 *   the manifest is `/site/assent/manifest.json` and the published bundle `/site/assent/assent.js`.
 * - the record endpoint (`assent serve`) on that manifest, allowing the test page's origin,
 *   that tests can stop and start again on the same port (commands below).
 *
 * Commands for tests (`executeServerCommand`): `assent-endpoint` → `{ url }`,
 * `assent-endpoint-stop`, `assent-endpoint-start`, `assent-records` → every stored record,
 * `assent-subject-token` `{ subject, ageSeconds? }` → a subject token minted as a partner's
 * backend would, with a partner key (made once) for the agreement and the privacy policy, allowed
 * from the test page's origin; `ageSeconds` mints it that long ago (an expired token).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import type { TestRunnerPlugin } from '@web/test-runner';
import { localDate } from '../../../src/contract/dates.ts';
import { astroBuild } from '../../../src/site/astro-build.ts';
import type { StoredRecord } from '../../../src/contract/record.ts';
import { mintSubjectToken } from '../../../src/contract/subject-token.ts';
import { newPartnerKey } from '../../../src/server/partners/partner-keys.ts';
import { SqlitePartnerKeys } from '../../../src/server/partners/sqlite-partner-keys.ts';

const projectRoot = join(import.meta.dirname, '../../..');
const OPERATOR_TOKEN = 'browser-tests-operator-token';

function fixtureContent(dir: string): void {
  cpSync(join(projectRoot, 'content'), dir, { recursive: true });
  const agreement = readFileSync(join(dir, 'weisure-service-agreement/2018-06-01.md'), 'utf8');
  writeFileSync(
    join(dir, 'weisure-service-agreement/2024-01-01.md'),
    agreement
      .replace('published: 2018-05-29', 'published: 2023-12-01')
      .replace('effective: 2018-06-01', 'effective: 2024-01-01')
      .replace('summary: 首次发布。', 'summary: 测试修订：新增争议解决条款，须重新同意。') +
      '\n十五、【测试条款】本条仅用于浏览器测试。\n',
  );
  const privacy = readFileSync(join(dir, 'besttrav-privacy-policy/2021-06-01.md'), 'utf8');
  writeFileSync(
    join(dir, 'besttrav-privacy-policy/2099-01-01.md'),
    privacy
      .replace('published: 2021-05-15', 'published: 2025-01-01')
      .replace('effective: 2021-06-01', 'effective: 2099-01-01')
      .replace(/summary: >-\n(  .*\n)+/, 'summary: 测试公告：将来生效的版本。\n') + '\n测试段落。\n',
  );
  const cookies = JSON.parse(readFileSync(join(dir, 'cookies.json'), 'utf8'));
  cookies.categories.find((c: { id: string }) => c.id === 'functional').mode = 'opt-out';
  writeFileSync(join(dir, 'cookies.json'), JSON.stringify(cookies, null, 2));
}

/** Builds the fixture site; returns its folder. */
export async function buildFixtureSite(): Promise<string> {
  const contentDir = mkdtempSync(join(tmpdir(), 'assent-browser-content-'));
  const outDir = mkdtempSync(join(tmpdir(), 'assent-browser-site-'));
  fixtureContent(contentDir);
  const build = await astroBuild({
    outDir,
    env: { ASSENT_BUILD_DATE: localDate(new Date()), ASSENT_CONTENT_DIR: contentDir },
  });
  if (build.code !== 0) throw new Error(build.output);
  rmSync(contentDir, { recursive: true, force: true });
  return outDir;
}

/** `assent serve` in a child process, stoppable and restartable on the same port and data. */
export class EndpointProcess {
  #child?: ChildProcess;
  #port = 0;
  readonly dataDir = mkdtempSync(join(tmpdir(), 'assent-browser-data-'));
  url = '';
  readonly manifest: string;
  readonly origin: string;
  constructor(manifest: string, origin: string) {
    this.manifest = manifest;
    this.origin = origin;
  }

  start(): Promise<void> {
    if (this.#child && this.#child.exitCode === null) return Promise.resolve();
    const child = spawn(
      process.execPath,
      [
        join(projectRoot, 'src/cli/assent.ts'),
        'serve',
        '--host',
        '127.0.0.1',
        '--port',
        String(this.#port),
        '--data',
        this.dataDir,
        '--manifest',
        this.manifest,
        '--allow-origin',
        this.origin,
        '--operator-token',
        OPERATOR_TOKEN,
        '--rate-limit',
        '0',
      ],
      {
        cwd: projectRoot,
        env: { ...process.env, ASSENT_LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.#child = child;
    let output = '';
    return new Promise((resolve, reject) => {
      child.stderr!.on('data', (d) => (output += d));
      child.stdout!.on('data', (d) => {
        output += d;
        const match = /assent: listening on (http:\/\/\S+)/.exec(output);
        if (match && !this.url.endsWith(`:${new URL(match[1]!).port}`)) {
          this.url = match[1]!;
          this.#port = Number(new URL(this.url).port);
        }
        if (match) resolve();
      });
      child.on('exit', (code) => reject(new Error(`assent serve exited with ${code}:\n${output}`)));
    });
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    this.#child = undefined;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  }

  #partner?: Promise<{ id: string; secret: string }>;

  /** A subject token for `subject`, minted `ageSeconds` ago, with this endpoint's one partner key. */
  async subjectToken(subject: string, ageSeconds = 0): Promise<string> {
    this.#partner ??= (async () => {
      const keys = new SqlitePartnerKeys(this.dataDir);
      const made = newPartnerKey({
        name: 'browser tests',
        origins: [this.origin],
        documents: ['weisure-service-agreement', 'besttrav-privacy-policy'],
      });
      await keys.add(made.key, made.keyHash);
      await keys.close();
      return { id: made.key.id, secret: made.secret };
    })();
    const { id, secret } = await this.#partner;
    return mintSubjectToken({
      partnerKey: secret,
      partnerId: id,
      subject,
      seconds: 300,
      now: Date.now() - ageSeconds * 1000,
    });
  }

  async records(): Promise<StoredRecord[]> {
    const response = await fetch(`${this.url}/v1/export?format=ndjson`, {
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
    });
    if (!response.ok) throw new Error(`export: HTTP ${response.status} ${await response.text()}`);
    return (await response.text())
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

export function assentServer({ origin }: { origin: string }): TestRunnerPlugin {
  let site = '';
  let endpoint: EndpointProcess | undefined;
  return {
    name: 'assent-server',
    async serverStart() {
      site = await buildFixtureSite();
      endpoint = new EndpointProcess(join(site, 'assent/manifest.json'), origin);
      await endpoint.start();
    },
    async serverStop() {
      await endpoint?.stop();
      if (site) rmSync(site, { recursive: true, force: true });
      if (endpoint) rmSync(endpoint.dataDir, { recursive: true, force: true });
    },
    serve(context) {
      if (!context.path.startsWith('/site/')) return undefined;
      let file = normalize(join(site, decodeURIComponent(context.path.slice('/site'.length))));
      if (!file.startsWith(site)) return undefined;
      if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
      if (!existsSync(file)) return undefined;
      return { body: readFileSync(file, 'utf8'), type: TYPES[extname(file)] ?? 'text/plain' };
    },
    async executeCommand({ command, payload }) {
      if (!endpoint) return undefined;
      switch (command) {
        case 'assent-endpoint':
          return { url: endpoint.url };
        case 'assent-endpoint-stop':
          await endpoint.stop();
          return true;
        case 'assent-endpoint-start':
          await endpoint.start();
          return true;
        case 'assent-records':
          return endpoint.records();
        case 'assent-subject-token': {
          const { subject, ageSeconds } = payload as { subject: string; ageSeconds?: number };
          return { token: await endpoint.subjectToken(subject, ageSeconds) };
        }
        default:
          return undefined;
      }
    },
  };
}
