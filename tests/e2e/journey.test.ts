/**
 * The journey as users meet it: the demo partner page (everything `npm start` runs), the built
 * policy site and the real endpoint, in Debian's Chromium. The demo page is on another origin
 * than the policy site, as partners' pages are. Each test has its own content copy, build and
 * data folder.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Manifest } from '../../src/contract/manifest.ts';
import { localDate } from '../../src/contract/dates.ts';
import { verifyReceipt } from '../../src/contract/proof/receipt.ts';
import { assent } from '../helpers/cli.ts';
import { axeViolations, launchChromium, startAssent, type Assent } from '../helpers/e2e.ts';

let browser: Browser;
let site: Assent | undefined;
let context: BrowserContext | undefined;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());
afterEach(async () => {
  await context?.close();
  await site?.close();
  context = undefined;
  site = undefined;
});

/** Opens the demo partner page; `before` runs first (routes, init scripts). */
async function open(
  before?: (page: Page, site: Assent) => Promise<void>,
): Promise<{ page: Page; site: Assent }> {
  site ??= await startAssent();
  context ??= await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await before?.(page, site);
  await page.goto(site.demoUrl);
  return { page, site };
}

async function manifest(s: Assent): Promise<Manifest> {
  return (await fetch(new URL('assent/manifest.json', s.siteUrl))).json();
}

const banner = (page: Page) => page.locator('assent-cookies').locator('[part~="banner"]');
const acceptBox = (page: Page) => page.locator('assent-accept');

/** Ticks the agreement's box and accepts, as a user does. */
async function acceptAgreement(page: Page): Promise<void> {
  await acceptBox(page).getByRole('checkbox').check();
  await acceptBox(page).getByRole('button', { name: '同意并继续' }).click();
}

describe('a first visit', () => {
  it('shows the cookie banner without moving the page; Reject all runs nothing and records every refusal', async () => {
    site = await startAssent();
    context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { layoutShift: number };
      w.layoutShift = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as Array<
          PerformanceEntry & { value: number; hadRecentInput: boolean }
        >) {
          if (!entry.hadRecentInput) w.layoutShift += entry.value;
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto(site.demoUrl);
    await expect.poll(() => banner(page).isVisible()).toBe(true);
    await expect.poll(() => acceptBox(page).getByRole('checkbox').isVisible()).toBe(true);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { layoutShift: number }).layoutShift)).toBe(0);

    await banner(page).getByRole('button', { name: '全部拒绝' }).click();
    await expect.poll(() => banner(page).isVisible()).toBe(false);

    expect(await page.evaluate(() => 'demoAnalyticsRan' in window)).toBe(false);
    expect(await page.locator('#analytics-status').textContent()).toContain('未运行');
    const published = await manifest(site);
    const necessary = published
      .cookies!.categories.find((c) => c.mode === 'necessary')!
      .cookies.map((c) => c.name);
    const names = (await context.cookies()).map((c) => c.name);
    expect(names).toContain('assent_consent');
    expect(names.filter((n) => !necessary.includes(n))).toEqual([]);

    await vi.waitFor(async () => expect(await site!.records()).toHaveLength(1), { timeout: 10_000 });
    const [record] = await site.records();
    expect(record).toMatchObject({
      type: 'consent',
      cookies: { revision: published.cookies!.revision },
      choices: { necessary: 'granted', functional: 'denied', analytics: 'denied', marketing: 'denied' },
      shown: {
        component: 'assent-cookies',
        buttonText: '全部拒绝',
        checkboxPreticked: false,
        pagePath: '/demo/',
      },
      subject: { kind: 'anonymous' },
    });
  });

  it('runs the gated analytics script only once analytics is granted', async () => {
    const { page } = await open();
    await banner(page).getByRole('button', { name: '偏好设置' }).click();
    const dialog = page.locator('assent-cookies').getByRole('dialog');
    await dialog.getByRole('switch', { name: /统计分析/ }).check();
    await dialog.getByRole('button', { name: '保存选择' }).click();
    await expect.poll(() => page.locator('#analytics-status').textContent()).toContain('已运行');
    expect((await context!.cookies()).map((c) => c.name)).toContain('_ga');
  });
});

describe('the sign-up form', () => {
  it('cannot be submitted until the agreement is accepted, then records the version and hash shown', async () => {
    const { page, site } = await open();
    await banner(page).getByRole('button', { name: '全部拒绝' }).click();
    await page.getByLabel('手机号').fill('13800000000');
    await page.getByRole('button', { name: '注册' }).click();
    await page.waitForTimeout(300);
    expect(new URL(page.url()).pathname).toBe('/demo/');
    expect(await page.locator('form').evaluate((form: HTMLFormElement) => form.checkValidity())).toBe(false);
    expect(
      await acceptBox(page).evaluate(
        (el) => (el as unknown as { validationMessage: string }).validationMessage,
      ),
    ).toContain('请先同意');

    await acceptAgreement(page);
    await expect.poll(() => acceptBox(page).locator('[part~="status"]').textContent()).toContain('已保存');
    await page.getByRole('button', { name: '注册' }).click();
    await page.waitForURL(/\/demo\/welcome\//);
    // The form submitted the endpoint's signed receipt, which the partner's backend checks offline.
    const jwks = await (await fetch(new URL('/.well-known/assent-keys.json', site.endpointUrl))).json();
    const receipt = await verifyReceipt(new URL(page.url()).searchParams.get('terms'), jwks, {
      subject: 'demo-user-42',
      document: 'weisure-service-agreement',
      version: '2018-06-01',
    });
    expect(receipt.type).toBe('accepted');

    const agreement = (await manifest(site)).documents.find((d) => d.slug === 'weisure-service-agreement')!;
    const accepted = (await site.records()).filter((r) => r.type === 'accepted');
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).toMatchObject({
      document: {
        slug: 'weisure-service-agreement',
        version: '2018-06-01',
        contentHash: agreement.versions[0]!.contentHash,
      },
      shown: { buttonText: '同意并继续', checkboxPreticked: false, locale: 'zh-CN' },
      subject: { kind: 'user' },
    });
    const verify = assent(['verify', '--data', site.dataDir]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^ok: 2 records, chain intact/);
  });
});

describe('an editor publishes a new version', () => {
  // Starts the preview, runs the CLI twice and builds again inside the test: over 20 s on a busy
  // two-core machine.
  it('asks a returning user to accept a required version in a dialog Escape cannot close, and tells them of a notice', async () => {
    const { page, site } = await open();
    await banner(page).getByRole('button', { name: '全部拒绝' }).click();
    await acceptAgreement(page);
    await expect.poll(async () => (await site.records()).filter((r) => r.type === 'accepted').length).toBe(1);

    const today = localDate(new Date());
    const required = assent([
      'new-version',
      'weisure-service-agreement',
      '--effective',
      today,
      '--acceptance',
      'required',
      '--summary',
      '新增第 7.4 条：违约责任。',
      '--content',
      site.contentDir,
    ]);
    expect(required.code, required.stderr).toBe(0);
    const notice = assent([
      'new-version',
      'besttrav-privacy-policy',
      '--effective',
      today,
      '--acceptance',
      'notice',
      '--summary',
      '更新联系方式。',
      '--content',
      site.contentDir,
    ]);
    expect(notice.code, notice.stderr).toBe(0);
    await site.rebuild();
    await expect.poll(async () => (await manifest(site)).documents[1]!.versions.length).toBe(2);

    await page.reload();
    const dialog = page.locator('assent-update[document="weisure-service-agreement"]').getByRole('dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.textContent()).toContain('新增第 7.4 条：违约责任。');
    await page.keyboard.press('Escape');
    await page.waitForTimeout(200);
    expect(await dialog.isVisible()).toBe(true);
    await dialog.getByRole('button', { name: '同意并继续' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);

    const privacyNotice = page
      .locator('assent-update[document="besttrav-privacy-policy"]')
      .locator('[part~="notice"]');
    await expect.poll(() => privacyNotice.isVisible()).toBe(true);
    expect(await privacyNotice.textContent()).toContain('更新联系方式。');
    await privacyNotice.getByRole('button', { name: '知道了' }).click();
    await expect.poll(() => privacyNotice.isVisible()).toBe(false);

    const published = await manifest(site);
    const hashOf = (slug: string, version: string) =>
      published.documents.find((d) => d.slug === slug)!.versions.find((v) => v.version === version)!
        .contentHash;
    await vi.waitFor(async () => {
      const records = (await site.records()).filter((r) => r.type !== 'consent');
      expect(
        records.map((r) => [r.type, r.document?.slug, r.document?.version, r.document?.contentHash]),
      ).toEqual([
        [
          'accepted',
          'weisure-service-agreement',
          '2018-06-01',
          hashOf('weisure-service-agreement', '2018-06-01'),
        ],
        ['accepted', 'weisure-service-agreement', today, hashOf('weisure-service-agreement', today)],
        ['acknowledged', 'besttrav-privacy-policy', today, hashOf('besttrav-privacy-policy', today)],
      ]);
    });
  }, 60_000);
});

describe('an endpoint outage', () => {
  it('never claims success while the endpoint is down, and delivers the record once after it returns', async () => {
    const { page, site } = await open();
    await banner(page).getByRole('button', { name: '全部拒绝' }).click();
    await expect.poll(async () => (await site.records()).length).toBe(1);

    await site.stopEndpoint();
    await acceptAgreement(page);
    const status = acceptBox(page).locator('[part~="status"]');
    await expect.poll(() => status.textContent()).toContain('尚未保存');
    await page.waitForTimeout(1500);
    expect(await status.textContent()).not.toContain('已保存');

    await site.startEndpoint();
    await page.reload();
    await vi.waitFor(
      async () => expect((await site.records()).filter((r) => r.type === 'accepted')).toHaveLength(1),
      {
        timeout: 15_000,
      },
    );
    await page.waitForTimeout(2000);
    expect((await site.records()).filter((r) => r.type === 'accepted')).toHaveLength(1);
    await expect.poll(() => acceptBox(page).locator('[part~="notice"]').textContent()).toContain('您已于');
  });
});

describe('keyboard and assistive technology', () => {
  /** The focused element, through shadow roots: its tag and text. */
  const focused = (page: Page) =>
    page.evaluate(() => {
      let element: Element | null = document.activeElement;
      while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
      return {
        tag: element?.tagName.toLowerCase(),
        text: element?.textContent?.trim() ?? '',
        role: element?.getAttribute('role'),
      };
    });

  async function tabTo(
    page: Page,
    match: (f: Awaited<ReturnType<typeof focused>>) => boolean,
    limit = 40,
  ): Promise<void> {
    for (let i = 0; i < limit; i++) {
      await page.keyboard.press('Tab');
      if (match(await focused(page))) return;
    }
    throw new Error(`Tab never reached the element (last: ${JSON.stringify(await focused(page))})`);
  }

  it('completes the whole journey with Tab, Enter, Space and Escape', async () => {
    const { page, site } = await open();
    await expect.poll(() => banner(page).isVisible()).toBe(true);
    await tabTo(page, (f) => f.text === '全部拒绝');
    await page.keyboard.press('Enter');
    await expect.poll(() => banner(page).isVisible()).toBe(false);

    await tabTo(page, (f) => f.tag === 'input' && f.role === null && f.text === '');
    await page.keyboard.type('13800000000');
    await tabTo(page, (f) => f.tag === 'input' && f.role === null, 5);
    await page.keyboard.press('Space');
    await tabTo(page, (f) => f.text === '同意并继续', 5);
    await page.keyboard.press('Enter');
    await expect.poll(() => acceptBox(page).locator('[part~="status"]').textContent()).toContain('已保存');
    await tabTo(page, (f) => f.text === '注册', 5);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/demo\/welcome\//);

    await page.goBack();
    await tabTo(page, (f) => f.text === 'Cookie 设置');
    await page.keyboard.press('Enter');
    const dialog = page.locator('assent-cookies').getByRole('dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect((await focused(page)).tag).not.toBe('body');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect((await focused(page)).text).toBe('Cookie 设置');
    expect((await site.records()).map((r) => r.type)).toEqual(['consent', 'accepted']);
  });

  it('has no serious accessibility violation on any page or open dialog', async () => {
    // axe is added to the page as an inline script, which the demo's strict CSP refuses.
    const { page, site } = await open(async (_, s) => s.setDemoCsp(null));
    await expect.poll(() => banner(page).isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await banner(page).getByRole('button', { name: '偏好设置' }).click();
    await expect.poll(() => page.locator('assent-cookies').getByRole('dialog').isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    for (const path of [
      '',
      'weisure-service-agreement/',
      'besttrav-privacy-policy/2020-12-01/',
      'besttrav-privacy-policy/versions/',
      'besttrav-privacy-policy/changes/2020-12-01...2021-06-01/',
    ]) {
      await page.goto(new URL(path, site.siteUrl).href);
      expect(await axeViolations(page), path).toEqual([]);
    }
  });
});

describe('a partner page on another origin', () => {
  it('loads the components and the manifest from the policy site, which is served with Access-Control-Allow-Origin', async () => {
    const { page, site } = await open();
    expect(new URL(site.demoUrl).origin).not.toBe(new URL(site.siteUrl).origin);
    await expect.poll(() => page.locator('assent-accept').getAttribute('state')).toBe('ready');
    expect(await page.locator('assent-cookies').getAttribute('state')).toBe('ready');
    for (const file of ['assent/assent.js', 'assent/manifest.json']) {
      const response = await fetch(new URL(file, site.siteUrl));
      expect(response.headers.get('access-control-allow-origin'), file).toBe('*');
    }
    // What a static host (Netlify, Cloudflare Pages) is told to send.
    expect(readFileSync(join(site.outDir, '_headers'), 'utf8')).toContain(
      '/assent/*\n  Access-Control-Allow-Origin: *\n',
    );
  });
});

describe('a partner page under a strict Content-Security-Policy', () => {
  /** Serves the demo page under this CSP and collects every violation the page reports. */
  const withCsp = (csp: (site: Assent) => string) => async (page: Page, site: Assent) => {
    site.setDemoCsp(csp(site));
    await page.addInitScript(() => {
      const w = window as unknown as { violations: string[] };
      w.violations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        w.violations.push(`${e.effectiveDirective} ${e.blockedURI}`),
      );
    });
  };
  const violations = (page: Page) =>
    page.evaluate(() => (window as unknown as { violations: string[] }).violations);
  const origin = (url: string) => new URL(url).origin;
  /** The CSP README gives partners, written out here rather than taken from the code under test. */
  const strict = (s: Assent) =>
    `default-src 'self'; script-src 'self' ${origin(s.siteUrl)}; style-src 'self'; connect-src 'self' ${origin(s.siteUrl)} ${origin(s.endpointUrl)}`;

  for (const [name, csp] of [
    ['the strict CSP', strict],
    ['the strict CSP and Trusted Types', (s: Assent) => `${strict(s)}; require-trusted-types-for 'script'`],
  ] as const) {
    it(`runs the whole journey under ${name} with no violation`, async () => {
      const { page, site } = await open(withCsp(csp));
      await expect.poll(() => banner(page).isVisible()).toBe(true);
      await banner(page).getByRole('button', { name: '偏好设置' }).click();
      const dialog = page.locator('assent-cookies').getByRole('dialog');
      await dialog.getByRole('switch', { name: /统计分析/ }).check();
      await dialog.getByRole('button', { name: '保存选择' }).click();
      // The gated script ran, through the Trusted Types policy when they are required.
      await expect.poll(() => page.locator('#analytics-status').textContent()).toContain('已运行');
      await acceptAgreement(page);
      await expect.poll(() => acceptBox(page).locator('[part~="status"]').textContent()).toContain('已保存');
      expect((await site.records()).map((r) => r.type)).toEqual(['consent', 'accepted']);
      expect(await violations(page)).toEqual([]);
    });
  }

  it('says the page CSP may block the endpoint, naming its origin, when connect-src leaves it out', async () => {
    const { page, site } = await open(
      withCsp(
        (s) =>
          `default-src 'self'; script-src 'self' ${origin(s.siteUrl)}; style-src 'self'; connect-src 'self' ${origin(s.siteUrl)}`,
      ),
    );
    await expect.poll(() => acceptBox(page).getAttribute('state')).toBe('ready');
    await acceptAgreement(page);
    const message = () =>
      acceptBox(page).evaluate((el) => (el as unknown as { error?: { message: string } }).error?.message);
    await expect
      .poll(message)
      .toBe(
        `${origin(site.endpointUrl)} could not be reached: it may be down, or blocked by the page's Content-Security-Policy (connect-src)`,
      );
    expect(
      (await violations(page)).some((v) => v.startsWith(`connect-src ${origin(site.endpointUrl)}`)),
    ).toBe(true);
  });
});
