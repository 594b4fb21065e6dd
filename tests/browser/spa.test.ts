/**
 * <assent-cookies> in single-page apps and with embeds: what is added after load is gated, frames
 * wait behind a placeholder, a choice reaches every tab, withdrawal, the consent API for app
 * code, and the cookie lifetimes.
 */
import { expect } from '@open-wc/testing';
import '../../components/cookies/define.ts';
import { consent } from '../../components/shared/consent.ts';
import type { AssentConsentChangedEvent } from '../../components/shared/events.ts';
import type { CookieConfig } from '../../src/contract/manifest.ts';
import {
  cookiesElement,
  endpointUrl,
  gatedScript,
  manifest,
  MANIFEST,
  nextEvent,
  part,
  readCookie,
  resetPage,
  setCookie,
  storedRecord,
  until,
} from './helpers.ts';

let endpoint: string;
let config: CookieConfig;
const flags = window as unknown as Record<string, number | undefined>;
const EMBED = '/tests/browser/fixtures/embed.html';

function frame(category: string, src = EMBED): HTMLIFrameElement {
  const iframe = document.createElement('iframe');
  iframe.dataset.assentCategory = category;
  iframe.dataset.src = src;
  iframe.title = 'An embedded video';
  iframe.width = '320';
  iframe.height = '180';
  return iframe;
}

/** The placeholder standing in the frame's place (it is the frame's previous sibling). */
const placeholder = (iframe: HTMLIFrameElement): Promise<HTMLElement> =>
  until(() => {
    const holder = iframe.previousElementSibling as HTMLElement | null;
    return holder?.matches('[data-assent-placeholder]') && holder.shadowRoot?.querySelector('button')
      ? holder
      : undefined;
  });

const choices = (on: string[]) =>
  Object.fromEntries(
    config.categories.map((c) => [c.id, c.mode === 'necessary' || on.includes(c.id) ? 'granted' : 'denied']),
  );

const stored = (on: string[]) => ({
  format: 2,
  revision: config.revision,
  choices: choices(on),
  consentId: 'spa-test',
  record: '',
  time: Date.now(),
});

describe('<assent-cookies> in single-page apps and with embeds', () => {
  before(async () => {
    endpoint = await endpointUrl();
    config = (await manifest()).cookies!;
  });
  beforeEach(() => {
    resetPage();
    document.body.replaceChildren();
    delete flags.analyticsRan;
    delete flags.lateRan;
  });

  it('runs a gated script added after load at once when its category is granted, and not when it is not', async () => {
    setCookie('assent_consent', stored(['analytics']));
    await cookiesElement(endpoint);
    document.body.append(gatedScript('analytics', 'analyticsRan'), gatedScript('marketing', 'lateRan'));
    await until(() => flags.analyticsRan === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(flags.lateRan).to.equal(undefined);
  });

  it('runs a script added before the choice once the user grants its category', async () => {
    const el = await cookiesElement(endpoint);
    document.body.append(gatedScript('analytics', 'lateRan'));
    await new Promise((r) => setTimeout(r, 100));
    expect(flags.lateRan).to.equal(undefined);
    part(el, '[part~=banner] [part~=accept-all]').click();
    await until(() => flags.lateRan === 1);
  });

  it('shows a placeholder in place of a gated frame, also one added later, and loads it once on request', async () => {
    await cookiesElement(endpoint);
    const iframe = frame('marketing');
    document.body.append(iframe);
    const holder = await placeholder(iframe);
    expect(iframe.hasAttribute('src')).to.be.false;
    expect(iframe.hidden).to.be.true;
    // As large as the frame: nothing moves when it loads.
    expect(holder.getBoundingClientRect().width).to.equal(320);
    expect(holder.getBoundingClientRect().height).to.equal(180);
    const buttons = [...holder.shadowRoot!.querySelectorAll('button')].map((b) => b.textContent!.trim());
    expect(buttons).to.deep.equal(['Load once', 'Always allow Marketing']);
    expect(holder.shadowRoot!.querySelector('p')!.textContent).to.equal(
      'This content loads only if you allow Marketing cookies.',
    );
    await expect(holder).to.be.accessible();
    holder.shadowRoot!.querySelector<HTMLElement>('[part~=load-once]')!.click();
    expect(iframe.getAttribute('src')).to.equal(EMBED);
    expect(iframe.hidden).to.be.false;
    expect(holder.isConnected).to.be.false;
    // Loading once is no consent: nothing stored, nothing recorded.
    expect(readCookie('assent_consent')).to.equal(undefined);
    expect(consent.has('marketing')).to.be.false;
  });

  it('speaks Chinese on the placeholder of a Chinese page', async () => {
    document.documentElement.lang = 'zh-CN';
    await cookiesElement(endpoint, '');
    const iframe = frame('marketing');
    document.body.append(iframe);
    const holder = await placeholder(iframe);
    const buttons = [...holder.shadowRoot!.querySelectorAll('button')].map((b) => b.textContent!.trim());
    expect(buttons).to.deep.equal(['加载一次', '始终允许广告营销 Cookie']);
  });

  it('"Always allow" records consent for the category and loads every frame of it', async () => {
    setCookie('assent_consent', stored(['analytics']));
    const el = await cookiesElement(endpoint);
    const [first, second] = [frame('marketing'), frame('marketing', `${EMBED}?2`)];
    document.body.append(first, second);
    const holder = await placeholder(first);
    await placeholder(second);
    const changed = nextEvent<AssentConsentChangedEvent>(el, 'assent-consent-changed');
    holder.shadowRoot!.querySelector<HTMLElement>('[part~=always-allow]')!.click();
    const { detail } = await changed;
    // The choice in force, and marketing too.
    expect(detail.choices).to.deep.equal(choices(['analytics', 'marketing']));
    const record = await storedRecord(detail.record);
    expect(record.type).to.equal('consent');
    expect(record.shown.buttonText).to.equal('Always allow Marketing');
    await until(() => second.getAttribute('src') === `${EMBED}?2`);
    expect(first.getAttribute('src')).to.equal(EMBED);
  });

  it('posts a withdrawn record when a granted category is switched off, deletes its cookies and gates what comes later', async () => {
    setCookie('assent_consent', stored(['analytics', 'marketing']));
    document.cookie = '_ga=1; path=/';
    const el = await cookiesElement(endpoint);
    const loaded = frame('marketing');
    document.body.append(loaded);
    await until(() => loaded.getAttribute('src') === EMBED);
    expect(consent.has('analytics')).to.be.true;
    const heard: boolean[] = [];
    const listener = () => heard.push(consent.has('analytics'));
    consent.addEventListener('change', listener);
    await el.show();
    part<HTMLInputElement>(el, '[aria-describedby=about-analytics]').click();
    part<HTMLInputElement>(el, '[aria-describedby=about-marketing]').click();
    await el.updateComplete;
    const changed = nextEvent<AssentConsentChangedEvent>(el, 'assent-consent-changed');
    part(el, 'dialog [part~=save]').click();
    const { detail } = await changed;
    consent.removeEventListener('change', listener);
    const record = await storedRecord(detail.record);
    expect(record.type).to.equal('withdrawn');
    expect(record.choices).to.deep.equal(choices([]));
    expect(document.cookie.split('; ').map((c) => c.split('=')[0])).to.not.include('_ga');
    expect(heard).to.deep.equal([false]);
    // The marketing frame goes back behind its placeholder; a script added now does not run.
    await placeholder(loaded);
    expect(loaded.getAttribute('src')).to.equal('about:blank');
    document.body.append(gatedScript('analytics', 'lateRan'));
    await new Promise((r) => setTimeout(r, 100));
    expect(flags.lateRan).to.equal(undefined);
  });

  it('tells app code the choice: consent.has() and a change event', async () => {
    const el = await cookiesElement(endpoint);
    expect(consent.choices).to.equal(null);
    expect(consent.has('analytics')).to.be.false;
    const change = nextEvent(consent, 'change');
    part(el, '[part~=banner] [part~=accept-all]').click();
    await change;
    expect(consent.has('analytics')).to.be.true;
    expect(consent.has('analytics marketing')).to.be.true;
    expect(consent.choices).to.deep.equal(choices(['functional', 'analytics', 'marketing']));
  });

  for (const fallback of [false, true])
    it(`applies a choice made in one tab to another open tab at once${fallback ? ' (storage event, without BroadcastChannel)' : ''}`, async () => {
      const saved = window.BroadcastChannel;
      if (fallback) (window as { BroadcastChannel?: unknown }).BroadcastChannel = undefined;
      try {
        const other = document.createElement('iframe');
        other.src = `/tests/browser/fixtures/cookies.html?endpoint=${encodeURIComponent(endpoint)}&manifest=${MANIFEST}${fallback ? '&fallback' : ''}`;
        document.body.append(other);
        const otherBanner = () =>
          other.contentDocument?.querySelector('assent-cookies')?.shadowRoot?.querySelector('[part~=banner]');
        await until(otherBanner);
        const el = await cookiesElement(endpoint);
        const changed = nextEvent<AssentConsentChangedEvent>(el, 'assent-consent-changed');
        part(el, '[part~=banner] [part~=accept-all]').click();
        const { detail } = await changed;
        await until(() => !otherBanner());
        const otherTab = other.contentWindow as unknown as { consent: typeof consent; heard?: object };
        expect(otherTab.consent.has('analytics')).to.be.true;
        await until(() => otherTab.heard);
        expect(otherTab.heard).to.deep.equal(detail);
      } finally {
        window.BroadcastChannel = saved;
      }
    });

  it('keeps a refusal for refusal-days and an acceptance for cookie-days', async () => {
    const expiry = async () => {
      const cookie = await (
        window as unknown as { cookieStore: { get(name: string): Promise<{ expires: number } | null> } }
      ).cookieStore.get('assent_consent');
      return Math.round((cookie!.expires - Date.now()) / 86_400_000);
    };
    let el = await cookiesElement(endpoint, 'locale="en" cookie-days="30" refusal-days="7"');
    part(el, '[part~=banner] [part~=reject-all]').click();
    expect(await expiry()).to.equal(7);
    await el.show();
    part(el, 'dialog [part~=accept-all]').click();
    expect(await expiry()).to.equal(30);
    el.remove();
    resetPage();
    el = await cookiesElement(endpoint, 'locale="en"');
    part(el, '[part~=banner] [part~=reject-all]').click();
    expect(await expiry()).to.equal(180);
  });

  it('sets its cookies on the cookie-domain of the element', async () => {
    // Chromium keeps a cookie for an IP address host-only whatever its Domain says, so the test
    // reads what the element tells the browser: the Set-Cookie string it writes.
    const written: string[] = [];
    const property = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')!;
    Object.defineProperty(document, 'cookie', {
      configurable: true,
      get: () => property.get!.call(document),
      set: (value: string) => {
        written.push(value);
        property.set!.call(document, value);
      },
    });
    try {
      const el = await cookiesElement(endpoint, 'locale="en" cookie-domain="shop.example"');
      part(el, '[part~=banner] [part~=accept-all]').click();
    } finally {
      delete (document as { cookie?: string }).cookie;
    }
    const consentCookie = written.filter((c) => c.startsWith('assent_consent='));
    expect(consentCookie).to.have.length(1);
    expect(consentCookie[0]).to.contain('; domain=shop.example;');
  });
});
