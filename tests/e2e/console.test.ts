/**
 * The operator console as operators use it: the real endpoint on 127.0.0.1 (SQLite, the fixture
 * manifest) with a scripted mix of acceptances and cookie consents, the console bundled as
 * `npm run build` bundles it, and Chromium driven by playwright-core. Axe on every view.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RecordInput } from '../../src/contract/record.ts';
import { loadServerConfig } from '../../src/server/config.ts';
import { startEndpoint, type RunningEndpoint } from '../../src/server/serve.ts';
import { verifySignature } from '../../src/server/webhooks/signature.ts';
import { buildConsole } from '../../src/site/integrations/build-console.ts';
import { axeViolations, launchChromium } from '../helpers/e2e.ts';
import { startReceiver, type Receiver } from '../helpers/receiver.ts';
import { acceptance, consent, manifestFile, PAGE_ORIGIN } from '../helpers/records.ts';

const ADMIN = 'console-admin-token-0123456789';
const AUDITOR = 'console-auditor-token-0123456789';

let browser: Browser;
let endpoint: RunningEndpoint;
let context: BrowserContext | undefined;
let receiver: Receiver;

/** 5 acceptances (alice twice), 2 refusals, 10 cookie consents: analytics granted 7 times, 2 with GPC. */
function scriptedMix(): Array<{ records: RecordInput[]; gpc?: boolean }> {
  const user = (id: string) => ({ kind: 'user' as const, id });
  return [
    {
      records: [
        acceptance({ subject: user('alice') }),
        acceptance({ subject: user('alice') }),
        acceptance({ subject: user('bob') }),
        acceptance({ subject: user('carol') }),
        acceptance({ subject: user('dave') }),
        acceptance({ subject: user('erin'), type: 'declined' }),
        acceptance({ subject: user('frank'), type: 'declined' }),
      ],
    },
    { records: Array.from({ length: 5 }, () => consent({ analytics: 'granted' })) },
    { records: Array.from({ length: 3 }, () => consent({ analytics: 'denied' })) },
    { records: Array.from({ length: 2 }, () => consent({ analytics: 'granted' })), gpc: true },
  ];
}

beforeAll(async () => {
  const consoleDir = mkdtempSync(join(tmpdir(), 'assent-console-e2e-'));
  await buildConsole(consoleDir);
  endpoint = await startEndpoint(
    loadServerConfig({
      env: {},
      flags: {
        port: 0,
        dataDir: mkdtempSync(join(tmpdir(), 'assent-console-data-')),
        manifest: manifestFile,
        hmacSecret: '07'.repeat(32),
        allowedOrigins: [PAGE_ORIGIN],
        operatorToken: ADMIN,
        auditorToken: AUDITOR,
        consoleDir,
        rateLimitPerMinute: 0,
        // Checkpoints at 7 (the first commit) and 15 (8 records on); 16 and 17 stay uncovered.
        checkpointEveryRecords: 8,
        checkpointEverySeconds: 3600,
      },
    }),
  );
  for (const { records, gpc } of scriptedMix()) {
    const response = await fetch(`${endpoint.url}/v1/records`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: PAGE_ORIGIN,
        ...(gpc ? { 'sec-gpc': '1' } : {}),
      },
      body: JSON.stringify(records),
    });
    expect(response.status).toBe(201);
  }
  await endpoint.app.stats.catchUp();
  receiver = await startReceiver();
  const registered = await fetch(`${endpoint.url}/v1/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
    body: JSON.stringify({ partner: 'Shop backend', url: receiver.url, types: ['accepted'], fromSeq: 1 }),
  });
  expect(registered.status).toBe(201);
  await endpoint.app.webhooks.dispatcher.round();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await endpoint?.close();
  await receiver?.close();
});
afterEach(async () => {
  await context?.close();
  context = undefined;
});

async function signIn(token = AUDITOR, locale = 'en-US'): Promise<Page> {
  context = await browser.newContext({ locale });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${endpoint.url}/console/`);
  await page.getByLabel(/Operator token|运营令牌/).fill(token);
  await page.getByRole('button', { name: /^(Sign in|登录)$/ }).click();
  (page as Page & { problems: string[] }).problems = problems;
  return page;
}

const problemsOf = (page: Page) => (page as Page & { problems: string[] }).problems;

/** What the endpoint serves anyone: its newest checkpoint and the id of its signing key. */
async function published(): Promise<{
  treeSize: number;
  rootHash: string;
  signedAt: string;
  note: string;
  kid: string;
}> {
  const checkpoint = await (await fetch(`${endpoint.url}/v1/checkpoint`)).json();
  const jwks = (await (await fetch(`${endpoint.url}/.well-known/assent-keys.json`)).json()) as {
    keys: Array<{ kid: string }>;
  };
  expect(jwks.keys).toHaveLength(1);
  return { ...checkpoint, kid: jwks.keys[0]!.kid };
}

async function openRecord(page: Page, seq: number) {
  await page.getByRole('button', { name: 'Records' }).click();
  await page.getByRole('button', { name: `Open record ${seq}` }).click();
  return page.getByRole('dialog', { name: `Record ${seq}` });
}

describe('the operator console', () => {
  it('signs in with a token kept in sessionStorage, never in the URL, and reads the overview', async () => {
    const page = await signIn();
    await expect.poll(() => page.getByRole('heading', { name: 'Overview' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText('Signed in as auditor').isVisible()).toBe(true);
    expect(page.url()).toBe(`${endpoint.url}/console/`);
    expect(await page.evaluate(() => sessionStorage.getItem('assent-console-token'))).toBe(AUDITOR);
    expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(AUDITOR);

    // The charts' figures, read from their data tables as a screen-reader user would.
    await expect
      .poll(() => page.getByText('Figures include records up to number 17 of 17.').isVisible())
      .toBe(true);
    const today = new Date().toISOString().slice(0, 10);
    const byType = page.getByRole('figure', { name: 'Records by type' });
    await byType.getByText('Show the figures as a table').click();
    const row = byType.getByRole('row', { name: new RegExp(`^${today}`) });
    expect(await row.getByRole('cell').allInnerTexts()).toEqual(['5', '2', '0', '10', '0']);

    const rate = page.getByRole('figure', { name: 'Consent rate: analytics' });
    await rate.getByText('Show the figures as a table').click();
    expect(
      await rate
        .getByRole('row', { name: new RegExp(`^${today}`) })
        .getByRole('cell')
        .allInnerTexts(),
    ).toEqual(['70.0 %', '30.0 %']);
    const gpc = page.getByRole('figure', { name: 'Consent records sent with Global Privacy Control' });
    await gpc.getByText('Show the figures as a table').click();
    expect(
      await gpc
        .getByRole('row', { name: new RegExp(`^${today}`) })
        .getByRole('cell')
        .allInnerTexts(),
    ).toEqual(['20.0 %']);
    // Six known subjects of the agreement; alice, bob, carol and dave accepted the version in effect.
    await expect
      .poll(() => page.getByText(/Known subjects: 6\. Not yet accepted: 2\./).isVisible())
      .toBe(true);

    expect(await axeViolations(page)).toEqual([]);
    expect(problemsOf(page)).toEqual([]);
  });

  it('refuses a wrong token and says so', async () => {
    const page = await signIn('not-the-token-0123456789');
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/This token was refused/);
    expect(await page.evaluate(() => sessionStorage.getItem('assent-console-token'))).toBeNull();
  });

  it('filters and pages records and opens one with its chain neighbours; Escape returns focus to its button', async () => {
    const page = await signIn(ADMIN);
    await page.getByRole('button', { name: 'Records' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Records', level: 2 }).isVisible()).toBe(true);
    const table = page.getByRole('table', { name: 'Records, newest first' });
    await expect.poll(() => table.getByRole('row').count()).toBe(18);

    await page.getByLabel('Type').selectOption('declined');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => table.getByRole('row').count()).toBe(3);
    expect(await table.getByRole('cell', { name: 'declined' }).count()).toBe(2);

    const open = page.getByRole('button', { name: 'Open record 7' });
    await open.click();
    const dialog = page.getByRole('dialog', { name: 'Record 7' });
    await expect
      .poll(() => dialog.getByRole('button', { name: 'Previous: record 6' }).isVisible())
      .toBe(true);
    expect(await dialog.getByRole('button', { name: 'Next: record 8' }).isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Previous: record 6' }).click();
    await expect.poll(() => page.getByRole('dialog', { name: 'Record 6' }).isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(await open.evaluate((button) => button.matches(':focus'))).toBe(true);

    await page.getByLabel('Type').selectOption('');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => table.getByRole('row').count()).toBe(18);

    // Keyset pages: 17 records, 10 a page.
    const numbers = () => table.getByRole('row').locator('td:first-child').allInnerTexts();
    await page.getByLabel('Rows per page').selectOption('10');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(numbers).toEqual(['17', '16', '15', '14', '13', '12', '11', '10', '9', '8']);
    await page.getByRole('button', { name: 'Older' }).click();
    await expect.poll(numbers).toEqual(['7', '6', '5', '4', '3', '2', '1']);
    expect(await page.getByRole('button', { name: 'Older' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Newer' }).click();
    await expect.poll(numbers).toEqual(['17', '16', '15', '14', '13', '12', '11', '10', '9', '8']);
    expect(await axeViolations(page)).toEqual([]);
    expect(problemsOf(page)).toEqual([]);
  });

  it('opens a record with its inclusion proof verified in the browser; a newer record is not yet in a checkpoint', async () => {
    const { treeSize, signedAt, kid } = await published();
    expect(treeSize).toBe(15);
    const page = await signIn();
    const dialog = await openRecord(page, 15);
    await expect
      .poll(() => dialog.getByRole('status').innerText())
      .toBe(`Verified in the checkpoint of 15 records, signed ${signedAt} by key ${kid}.`);
    expect(await axeViolations(page)).toEqual([]);

    await dialog.getByRole('button', { name: 'Next: record 16' }).click();
    const newer = page.getByRole('dialog', { name: 'Record 16' });
    await expect
      .poll(() => newer.getByRole('status').innerText())
      .toBe(
        'Not yet in a checkpoint: the newest covers records 1 to 15. The next one will cover it; open the record again later.',
      );
    expect(await newer.getByText(/Verified/).count()).toBe(0);
    expect(problemsOf(page)).toEqual([]);
  });

  it('says a tampered inclusion proof does not verify, and never "verified"', async () => {
    const page = await signIn();
    // One hash of the proof's path changed on its way to the browser.
    await page.route('**/v1/proof/inclusion?**', async (route) => {
      const response = await route.fetch();
      const answer = (await response.json()) as { path: string[] };
      const first = answer.path[0]!;
      answer.path[0] = (first[0] === 'A' ? 'B' : 'A') + first.slice(1);
      await route.fulfill({ response, json: answer });
    });
    const dialog = await openRecord(page, 7);
    await expect
      .poll(() => dialog.getByRole('alert').innerText())
      .toBe('Not verified: record 7 is not in the tree of 15 records the checkpoint signed');
    expect(await dialog.getByText(/Verified in/).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('says a checkpoint whose signed text was changed does not verify', async () => {
    const page = await signIn();
    await page.route('**/v1/checkpoint', async (route) => {
      const response = await route.fetch();
      const answer = (await response.json()) as { note: string };
      answer.note = answer.note.replace(/\n15\n/, '\n16\n');
      await route.fulfill({ response, json: answer });
    });
    await page.getByRole('button', { name: 'Integrity' }).click();
    await expect
      .poll(() => page.getByRole('alert').innerText())
      .toMatch(/^The checkpoint does not verify: the signature by key \S+ does not match the checkpoint$/);
    expect(await page.getByText('Signature verified in this browser').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Download the checkpoint' }).count()).toBe(0);
  });

  it('looks up a subject and offers the records as JSON and CSV', async () => {
    const page = await signIn();
    await page.getByRole('button', { name: 'Subject' }).click();
    await page.getByLabel('Subject id').fill('alice');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByText('2 records for this subject.').isVisible()).toBe(true);
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(csv.suggestedFilename()).toBe('subject-records.csv');
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download JSON' }).click(),
    ]);
    expect(json.suggestedFilename()).toBe('subject-records.json');
    const saved = JSON.parse(readFileSync(await json.path(), 'utf8')) as { records: Array<{ seq: number }> };
    expect(saved.records.map((r) => r.seq)).toEqual([1, 2]);
    expect(
      readFileSync(await csv.path(), 'utf8')
        .trimEnd()
        .split('\r\n'),
    ).toHaveLength(3);
    expect(await axeViolations(page)).toEqual([]);
    expect(problemsOf(page)).toEqual([]);
  });

  it('verifies the chain with a progress bar and downloads the export', async () => {
    const page = await signIn();
    await page.getByRole('button', { name: 'Integrity' }).click();
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await expect
      .poll(() => page.getByText(/The chain holds: 17 records, the last one 17/).isVisible())
      .toBe(true);
    expect(await page.getByRole('progressbar').evaluate((bar) => (bar as HTMLProgressElement).value)).toBe(
      17,
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download NDJSON' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('assent-records.ndjson');

    // The newest checkpoint, its signature checked here, saved as `assent checkpoint --save` saves it.
    const { treeSize, rootHash, signedAt, note, kid } = await published();
    await expect
      .poll(() =>
        page.getByText('Signature verified in this browser against the endpoint’s keys.').isVisible(),
      )
      .toBe(true);
    const shown = await page.locator('assent-console-integrity dl').first().innerText();
    for (const value of [String(treeSize), rootHash, signedAt, kid]) expect(shown).toContain(value);
    const [saved] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the checkpoint' }).click(),
    ]);
    expect(saved.suggestedFilename()).toBe('15.checkpoint');
    expect(readFileSync(await saved.path(), 'utf8')).toBe(note);
    const [keys] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the keys' }).click(),
    ]);
    expect(keys.suggestedFilename()).toBe('assent-keys.json');
    expect(JSON.parse(readFileSync(await keys.path(), 'utf8')).keys[0].kid).toBe(kid);
    expect(await axeViolations(page)).toEqual([]);
    expect(problemsOf(page)).toEqual([]);
  });

  it('lists the latest checkpoints, each verified in the browser, and saves any of them', async () => {
    const page = await signIn();
    await page.getByRole('button', { name: 'Integrity' }).click();
    const list = page.getByRole('table', { name: 'Signed checkpoints, newest first' });
    const rows = list.getByRole('row');
    await expect.poll(() => rows.count()).toBe(3);
    await expect.poll(() => list.getByText('verified', { exact: true }).count()).toBe(2);
    const stored = await endpoint.app.store.checkpoints(undefined, 10);
    expect(stored.map((c) => c.treeSize)).toEqual([15, 7]);
    for (const [i, checkpoint] of stored.entries()) {
      const cells = await rows
        .nth(i + 1)
        .getByRole('cell')
        .allInnerTexts();
      expect(cells.slice(0, 3)).toEqual([
        checkpoint.signedAt,
        Buffer.from(checkpoint.root).toString('base64'),
        'verified',
      ]);
    }
    const [saved] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download 7.checkpoint' }).click(),
    ]);
    expect(saved.suggestedFilename()).toBe('7.checkpoint');
    expect(readFileSync(await saved.path(), 'utf8')).toBe(stored[1]!.note);
    expect(await axeViolations(page)).toEqual([]);
    expect(problemsOf(page)).toEqual([]);
  });

  it('says which listed checkpoint does not verify, and why, in Chinese to a Chinese reader', async () => {
    const { kid } = await published();
    const page = await signIn(AUDITOR, 'zh-CN');
    // The older checkpoint's signed tree size changed on its way to the browser.
    await page.route('**/v1/checkpoints?**', async (route) => {
      const response = await route.fetch();
      const answer = (await response.json()) as { checkpoints: Array<{ note: string }> };
      answer.checkpoints[1]!.note = answer.checkpoints[1]!.note.replace(/\n7\n/, '\n8\n');
      await route.fulfill({ response, json: answer });
    });
    await page.getByRole('button', { name: '完整性' }).click();
    const list = page.getByRole('table', { name: '已签署的检查点（最新在前）' });
    await expect
      .poll(() => list.getByRole('row').nth(2).getByRole('cell').nth(2).innerText())
      .toBe(`未通过验证：密钥 ${kid} 的签名与检查点内容不符`);
    expect(await list.getByRole('row').nth(1).getByRole('cell').nth(2).innerText()).toBe('已验证');
    expect(await page.getByRole('button', { name: '下载 7.checkpoint' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '下载 15.checkpoint' }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    // A chain walk that finds record 3 changed (as the endpoint reports it) is told in Chinese.
    await page.route('**/v1/verify/progress', (route) =>
      route.fulfill({
        contentType: 'application/x-ndjson',
        body: `${JSON.stringify({
          report: {
            ok: false,
            records: 2,
            brokenAt: 3,
            code: 'wrong-hash',
            reason: 'its content does not match its hash (the record was changed)',
          },
        })}\n`,
      }),
    );
    await page.getByRole('button', { name: '校验哈希链' }).click();
    await expect
      .poll(() => page.getByText(/^哈希链在第 3 条记录处断开/).innerText())
      .toBe('哈希链在第 3 条记录处断开：其内容与哈希不符（记录被改动过）');

    // The same reader opens a record whose inclusion proof was changed: the reason is in Chinese too.
    await page.route('**/v1/proof/inclusion?**', async (route) => {
      const response = await route.fetch();
      const answer = (await response.json()) as { path: string[] };
      const first = answer.path[0]!;
      answer.path[0] = (first[0] === 'A' ? 'B' : 'A') + first.slice(1);
      await route.fulfill({ response, json: answer });
    });
    await page.getByRole('button', { name: '记录' }).click();
    await page.getByRole('button', { name: '打开第 7 条记录' }).click();
    await expect
      .poll(() => page.getByRole('dialog', { name: '第 7 条记录' }).getByRole('alert').innerText())
      .toBe('未通过验证：第 7 条记录不在检查点所签署的 15 条记录的树中');
  });

  it('shows an admin the webhooks, their deliveries, and sends one again; the auditor sees none', async () => {
    const auditor = await signIn();
    await expect.poll(() => auditor.getByRole('heading', { name: 'Overview' }).isVisible()).toBe(true);
    expect(await auditor.getByRole('button', { name: 'Webhooks' }).count()).toBe(0);
    await context!.close();

    const page = await signIn(ADMIN);
    await page.getByRole('button', { name: 'Webhooks' }).click();
    const list = page.getByRole('table', { name: 'Registered webhooks' });
    await expect.poll(() => list.getByRole('row', { name: /Shop backend/ }).isVisible()).toBe(true);
    expect(
      await list
        .getByRole('row', { name: /Shop backend/ })
        .getByRole('cell')
        .allInnerTexts(),
    ).toEqual([receiver.url, 'accepted', '17', '0', '', '']);
    await page.getByRole('button', { name: 'Show deliveries to Shop backend' }).click();
    const attempts = page.getByRole('table', { name: 'Latest deliveries to Shop backend' });
    await expect.poll(() => attempts.getByRole('row').count()).toBe(6);
    await page.getByRole('button', { name: 'Send record 5 again' }).click();
    await expect
      .poll(() => page.getByText('Record 5 will be sent again within a second.').isVisible())
      .toBe(true);
    await endpoint.app.webhooks.dispatcher.round();
    const last = receiver.deliveries.at(-1)!;
    expect(JSON.parse(last.body).seq).toBe(5);
    expect(last.headers['assent-replay']).toBe('true');
    expect(receiver.deliveries.map((d) => JSON.parse(d.body).seq)).toEqual([1, 2, 3, 4, 5, 5]);
    expect(await axeViolations(page)).toEqual([]);
    expect(problemsOf(page)).toEqual([]);
  });

  it('speaks Chinese to a Chinese browser, and switches language by keyboard', async () => {
    const page = await signIn(AUDITOR, 'zh-CN');
    await expect.poll(() => page.getByRole('heading', { name: '概览' }).isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await axeViolations(page)).toEqual([]);
    const { signedAt, kid } = await published();
    await page.getByRole('button', { name: '记录' }).click();
    await page.getByRole('button', { name: '打开第 15 条记录' }).click();
    const dialog = page.getByRole('dialog', { name: '第 15 条记录' });
    await expect
      .poll(() => dialog.getByRole('status').innerText())
      .toBe(`已验证：包含在共 15 条记录的检查点中，由密钥 ${kid} 于 ${signedAt} 签署。`);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: '概览' }).click();
    await page.getByRole('button', { name: 'English' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { name: 'Overview' }).isVisible()).toBe(true);
  });

  it('lets an admin register a webhook by keyboard, shows its secret once, and the partner receives signed records', async () => {
    const partner = await startReceiver();
    try {
      const page = await signIn(ADMIN);
      await page.getByRole('button', { name: 'Webhooks' }).click();
      const form = page.getByRole('form', { name: 'Register a webhook' });
      await form.getByLabel('Partner').fill('Travel backend');
      const url = form.getByLabel('URL');
      await url.fill('ftp://127.0.0.1/hooks');
      await url.press('Enter');
      await expect
        .poll(() => form.getByRole('alert').innerText())
        .toBe('Only http:// or https:// addresses can receive webhooks.');
      expect(await url.getAttribute('aria-invalid')).toBe('true');
      expect(await url.evaluate((input) => input.matches(':focus'))).toBe(true);
      expect(await axeViolations(page)).toEqual([]);

      await url.fill(partner.url);
      await form.getByRole('checkbox', { name: 'consent' }).focus();
      await page.keyboard.press('Space');
      await url.focus();
      await page.keyboard.press('Enter');
      const secretField = page.getByRole('textbox', { name: 'Secret' });
      await expect.poll(() => secretField.isVisible()).toBe(true);
      const secret = await secretField.inputValue();
      expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/);
      expect(await secretField.evaluate((input) => input.matches(':focus'))).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'I have kept the secret' }).click();
      await expect
        .poll(() => page.getByRole('status').last().innerText())
        .toBe('The webhook for Travel backend is registered: it receives the records stored from now on.');
      expect(await page.getByRole('textbox', { name: 'Secret' }).count()).toBe(0);
      expect(await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }))).not.toContain(
        secret,
      );
      const list = page.getByRole('table', { name: 'Registered webhooks' });
      const row = list.getByRole('row', { name: /Travel backend/ });
      await expect.poll(() => row.getByRole('cell').nth(1).innerText()).toBe('consent');

      // Records stored now: the acceptance is filtered out, each consent arrives signed with that secret.
      const store = (records: RecordInput[]) =>
        fetch(`${endpoint.url}/v1/records`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: PAGE_ORIGIN },
          body: JSON.stringify(records),
        });
      expect((await store([acceptance(), consent({ analytics: 'granted' })])).status).toBe(201);
      await endpoint.app.webhooks.dispatcher.round();
      expect(partner.deliveries.map((d) => JSON.parse(d.body).type)).toEqual(['consent']);
      const [delivered] = partner.deliveries;
      expect(verifySignature(secret, delivered!.body, String(delivered!.headers['assent-signature']))).toBe(
        true,
      );
      const seq = JSON.parse(delivered!.body).seq as number;

      // The next one fails once: the console shows the failure, then the retry, and sends it again on request.
      partner.answers.push(500);
      expect((await store([consent({ analytics: 'denied' })])).status).toBe(201);
      await endpoint.app.webhooks.dispatcher.round();
      await page.getByRole('button', { name: 'Overview' }).click();
      await page.getByRole('button', { name: 'Webhooks' }).click();
      await expect
        .poll(() => row.getByRole('cell').allInnerTexts())
        .toEqual([partner.url, 'consent', String(seq), '1', 'the receiver answered 500', expect.any(String)]);
      await page.getByRole('button', { name: 'Show deliveries to Travel backend' }).click();
      const attempts = page.getByRole('table', { name: 'Latest deliveries to Travel backend' });
      await expect
        .poll(() => attempts.getByRole('row').nth(1).getByRole('cell').nth(2).innerText())
        .toBe('failed: the receiver answered 500');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await endpoint.app.webhooks.dispatcher.round();
      expect(partner.deliveries.map((d) => JSON.parse(d.body).seq)).toEqual([seq, seq + 1]);

      await page.getByRole('button', { name: 'Overview' }).click();
      await page.getByRole('button', { name: 'Webhooks' }).click();
      await page.getByRole('button', { name: 'Show deliveries to Travel backend' }).click();
      await page.getByRole('button', { name: `Send record ${seq} again` }).click();
      await expect
        .poll(() => page.getByText(`Record ${seq} will be sent again within a second.`).isVisible())
        .toBe(true);
      await endpoint.app.webhooks.dispatcher.round();
      const replayed = partner.deliveries.at(-1)!;
      expect(JSON.parse(replayed.body).seq).toBe(seq);
      expect(replayed.headers['assent-replay']).toBe('true');
      expect(verifySignature(secret, replayed.body, String(replayed.headers['assent-signature']))).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      expect(problemsOf(page)).toEqual([]);
    } finally {
      await partner.close();
    }
  });

  it('words delivery failures in Chinese for a Chinese admin', async () => {
    // A receiver that is gone: its port refuses the connection.
    const gone = await startReceiver();
    await gone.close();
    const registered = await fetch(`${endpoint.url}/v1/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({ partner: '旧商城', url: gone.url, types: ['consent'] }),
    });
    expect(registered.status).toBe(201);
    const stored = await fetch(`${endpoint.url}/v1/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: PAGE_ORIGIN },
      body: JSON.stringify([consent({ analytics: 'denied' })]),
    });
    expect(stored.status).toBe(201);
    await endpoint.app.webhooks.dispatcher.round();

    const page = await signIn(ADMIN, 'zh-CN');
    await page.getByRole('button', { name: 'Webhook' }).click();
    const row = page.getByRole('table', { name: '已注册的 Webhook' }).getByRole('row', { name: /旧商城/ });
    await expect.poll(() => row.getByRole('cell').nth(4).innerText()).toBe('没有响应（ECONNREFUSED）');
    await page.getByRole('button', { name: '查看发送给 旧商城 的记录' }).click();
    const attempts = page.getByRole('table', { name: '最近发送给 旧商城 的记录' });
    await expect
      .poll(() => attempts.getByRole('row').nth(1).getByRole('cell').nth(2).innerText())
      .toBe('失败：没有响应（ECONNREFUSED）');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('tells a Chinese admin in Chinese that a URL cannot receive webhooks', async () => {
    const page = await signIn(ADMIN, 'zh-CN');
    await page.getByRole('button', { name: 'Webhook' }).click();
    const form = page.getByRole('form', { name: '注册 Webhook' });
    await form.getByLabel('合作方').fill('商城');
    await form.getByLabel('地址').fill('shop.example/hooks');
    await form.getByRole('button', { name: '注册' }).click();
    await expect
      .poll(() => form.getByRole('alert').innerText())
      .toBe('请填写完整地址，例如 https://shop.example/assent-hook。');
    expect(await axeViolations(page)).toEqual([]);
  });
});
