/**
 * Chinese text in Chromium on a machine without CJK fonts (a server, a CI runner, the Chromium
 * of @sparticuz/chromium): the page is given Noto Sans SC (the @fontsource-variable package,
 * SIL Open Font License), so `assent pdf` embeds the same font wherever it prints, and
 * `npm run screenshots` shows Chinese rather than empty boxes. The font is served to the page
 * from its own origin (Playwright answers the requests), so it loads under the demo page's
 * strict Content-Security-Policy too.
 *
 *   await addCjkFont(page);                   // after page.goto(); again after each navigation
 *   await page.screenshot({ path: 'x.png' });
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize } from 'node:path';
import type { Page } from 'playwright-core';

export const CJK_FONT_FAMILY = 'Noto Sans SC Variable';

const fontDir = dirname(
  createRequire(import.meta.url).resolve('@fontsource-variable/noto-sans-sc/index.css'),
);
const PREFIX = '/__assent-fonts/';

/**
 * One embedded font for every script: a system font first in the stack may claim CJK
 * characters it draws as empty boxes (seen with bold headings under Chromium's system-ui).
 * The site's pages take their fonts from these variables; the demo page and the components in
 * it from the body.
 */
const FONT_CSS = `:root { --font-latin: '${CJK_FONT_FAMILY}'; --font-cjk: '${CJK_FONT_FAMILY}', sans-serif; }
body { font-family: '${CJK_FONT_FAMILY}', sans-serif; }`;

/** Gives the open page the font (and `css`, e.g. a print style), then waits until it is loaded. */
export async function addCjkFont(page: Page, css = ''): Promise<void> {
  if (!routed.has(page)) await routeFont(page, css);
  routed.add(page);
  await page.addStyleTag({ url: `${PREFIX}index.css` });
  await page.addStyleTag({ url: `${PREFIX}page.css` });
  await cjkFontLoaded(page);
}

const routed = new WeakSet<Page>();

async function routeFont(page: Page, css: string): Promise<void> {
  await page.route(`**${PREFIX}**`, async (route) => {
    const path = new URL(route.request().url()).pathname.slice(PREFIX.length);
    if (path === 'page.css') {
      await route.fulfill({ contentType: 'text/css', body: `${FONT_CSS}\n${css}` });
      return;
    }
    const file = normalize(join(fontDir, path));
    if (!file.startsWith(fontDir) || !['.css', '.woff2'].includes(extname(file))) {
      await route.fulfill({ status: 404 });
      return;
    }
    const type = extname(file) === '.css' ? 'text/css' : 'font/woff2';
    await route.fulfill({ contentType: type, body: await readFile(file) });
  });
}

/**
 * Waits for the font subsets the page's text needs, regular and bold (a subset loads only once
 * text needs it), in shadow roots too: call it again after the page shows new text.
 */
export async function cjkFontLoaded(page: Page): Promise<void> {
  await page.evaluate(async (family) => {
    const roots: Array<Document | ShadowRoot> = [document];
    for (let i = 0; i < roots.length; i++)
      for (const element of roots[i]!.querySelectorAll('*'))
        if (element.shadowRoot) roots.push(element.shadowRoot);
    const text =
      document.title +
      roots.map((root) => (root instanceof Document ? root.body.innerText : root.textContent)).join('');
    await Promise.all(
      ['400', '700'].map((weight) => document.fonts.load(`${weight} 16px '${family}'`, text)),
    );
    await document.fonts.ready;
  }, CJK_FONT_FAMILY);
}
