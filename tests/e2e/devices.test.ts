/**
 * One signed-in user, two devices: two browser contexts (no shared cookies or storage) open a
 * partner page (the demo's) whose backend mints a subject token for the user on every page
 * load, as README's "Subject tokens" shows, under the strict CSP README gives partners.
 * What is accepted on one device shows on the other; a required version pops up on both until
 * it is accepted on one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { localDate } from '../../src/contract/dates.ts';
import { verifyReceipt } from '../../src/contract/proof/receipt.ts';
import { mintSubjectToken } from '../../src/contract/subject-token.ts';
import { assent } from '../helpers/cli.ts';
import { launchChromium, startAssent, type Assent } from '../helpers/e2e.ts';

const AGREEMENT = 'weisure-service-agreement';
/** The demo page's signed-in user. */
const SUBJECT = 'demo-user-42';

let browser: Browser;
let site: Assent;
let partner: { id: string; secret: string };

beforeAll(async () => {
  browser = await launchChromium();
  site = await startAssent();
  const created = assent([
    'keys',
    'create',
    '--name',
    'travel shop',
    '--document',
    AGREEMENT,
    '--origin',
    new URL(site.demoUrl).origin,
    '--data',
    site.dataDir,
  ]);
  expect(created.code, created.stderr).toBe(0);
  partner = {
    id: /created partner key (\S+)/.exec(created.stdout)![1]!,
    secret: /^(assent_pk_\S+)$/m.exec(created.stdout)![1]!,
  };
}, 120_000);
afterAll(async () => {
  await site?.close();
  await browser?.close();
});

/**
 * A device: its own context, opening the demo partner page (served under the CSP README gives
 * partners). The partner's "backend" puts a freshly minted subject token in the page, on the
 * agreement's elements, before they upgrade, as a server-rendered attribute would be.
 */
async function device(): Promise<{ context: BrowserContext; open(): Promise<Page> }> {
  const context = await browser.newContext({ locale: 'zh-CN' });
  return {
    context,
    async open() {
      const page = await context.newPage();
      const token = await mintSubjectToken({
        partnerKey: partner.secret,
        partnerId: partner.id,
        subject: SUBJECT,
      });
      await page.addInitScript(
        ({ token, document: slug }) => {
          const w = window as unknown as { problems: string[] };
          w.problems = [];
          document.addEventListener('securitypolicyviolation', (e) =>
            w.problems.push(`CSP ${e.effectiveDirective}`),
          );
          document.addEventListener('assent-error', (e) =>
            w.problems.push((e as CustomEvent).detail.message),
          );
          new MutationObserver(() => {
            for (const el of document.querySelectorAll(`[document="${slug}"]:not([subject-token])`))
              el.setAttribute('subject-token', token);
          }).observe(document, { childList: true, subtree: true });
        },
        { token, document: AGREEMENT },
      );
      await page.goto(site.demoUrl);
      await expect.poll(() => page.locator('assent-accept').getAttribute('state')).toBe('ready');
      const banner = page.locator('assent-cookies').locator('[part~="banner"]');
      if (await banner.isVisible()) await banner.getByRole('button', { name: '全部拒绝' }).click();
      return page;
    },
  };
}

const problems = (page: Page) => page.evaluate(() => (window as unknown as { problems: string[] }).problems);
const acceptedNotice = (page: Page) =>
  page.locator('assent-accept').locator('[part~="notice"]').textContent();
const updateDialog = (page: Page) =>
  page.locator(`assent-update[document="${AGREEMENT}"]`).getByRole('dialog');

describe('one user on two devices, with subject tokens', () => {
  it('sees on each device what was accepted on the other, and a required version on both until accepted on one', async () => {
    const phone = await device();
    const laptop = await device();
    try {
      // The phone accepts.
      let onPhone = await phone.open();
      const box = onPhone.locator('assent-accept');
      await box.getByRole('checkbox').check();
      await box.getByRole('button', { name: '同意并继续' }).click();
      await expect.poll(() => box.locator('[part~="status"]').textContent()).toContain('已保存');

      // The laptop has never seen this user: it shows the acceptance, and its receipt is the form value.
      let onLaptop = await laptop.open();
      await expect.poll(() => acceptedNotice(onLaptop)).toContain('您已于');
      expect(await acceptedNotice(onLaptop)).toContain('2018-06-01');
      const receipt = await onLaptop.locator('assent-accept').evaluate((el) => {
        const accept = el as HTMLElement & { checkValidity(): boolean; form: HTMLFormElement };
        if (!accept.checkValidity()) throw new Error('the acceptance is not valid for the form');
        return new FormData(accept.form).get('terms');
      });
      const jwks = await (await fetch(new URL('/.well-known/assent-keys.json', site.endpointUrl))).json();
      const claims = await verifyReceipt(receipt, jwks, {
        subject: SUBJECT,
        document: AGREEMENT,
        version: '2018-06-01',
      });
      expect(claims.type).toBe('accepted');
      expect(await updateDialog(onLaptop).isVisible()).toBe(false);

      // The editor publishes a required version, in effect today.
      const today = localDate(new Date());
      const made = assent([
        'new-version',
        AGREEMENT,
        '--effective',
        today,
        '--acceptance',
        'required',
        '--summary',
        '新增第 7.4 条：违约责任。',
        '--content',
        site.contentDir,
      ]);
      expect(made.code, made.stderr).toBe(0);
      await site.rebuild();

      // Both devices are asked to accept it.
      await onPhone.close();
      await onLaptop.close();
      onPhone = await phone.open();
      onLaptop = await laptop.open();
      for (const page of [onPhone, onLaptop]) {
        await expect.poll(() => updateDialog(page).isVisible(), { timeout: 15_000 }).toBe(true);
        expect(await updateDialog(page).textContent()).toContain('新增第 7.4 条：违约责任。');
      }

      // Accepted on the laptop, it is asked no more on the phone.
      await updateDialog(onLaptop).getByRole('button', { name: '同意并继续' }).click();
      await expect.poll(() => updateDialog(onLaptop).isVisible()).toBe(false);
      await expect
        .poll(async () => (await site.records()).filter((r) => r.document?.version === today).length)
        .toBe(1);
      await onPhone.close();
      onPhone = await phone.open();
      await expect.poll(() => acceptedNotice(onPhone)).toContain(today);
      expect(await updateDialog(onPhone).isVisible()).toBe(false);

      for (const page of [onPhone, onLaptop]) expect(await problems(page)).toEqual([]);
    } finally {
      await phone.context.close();
      await laptop.context.close();
    }
  }, 180_000);
});
