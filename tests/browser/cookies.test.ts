import { expect } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import '../../components/cookies/define.ts';
import type { AssentCookies } from '../../components/cookies/cookies.ts';
import type { AssentConsentChangedEvent } from '../../components/shared/events.ts';
import type { CookieConfig } from '../../src/contract/manifest.ts';
import {
  cookiesElement,
  endpointUrl,
  gatedScript,
  loaded,
  manifest,
  MANIFEST,
  nextEvent,
  part,
  readCookie,
  has,
  resetPage,
  setCookie,
  storedRecord,
  until,
} from './helpers.ts';

let endpoint: string;
let config: CookieConfig;

interface Stored {
  revision: string;
  consentId: string;
  choices: Record<string, 'granted' | 'denied'>;
  record: string;
}

const stored = (revision: string, choices: Record<string, 'granted' | 'denied'>, consentId = 'x') => ({
  format: 2,
  revision,
  consentId,
  choices,
  record: '',
  time: Date.now(),
});

const gated = (category: string, flag: string) => document.body.appendChild(gatedScript(category, flag));

const flags = window as unknown as Record<string, number | undefined>;

describe('<assent-cookies>', () => {
  before(async () => {
    endpoint = await endpointUrl();
    config = (await manifest()).cookies!;
  });
  beforeEach(() => {
    resetPage();
    document.body.replaceChildren();
    delete flags.analyticsRan;
    delete flags.marketingRan;
    delete (window as { gtag?: unknown }).gtag;
    Object.defineProperty(navigator, 'globalPrivacyControl', { value: undefined, configurable: true });
  });

  it('shows Accept all, Reject all and Preferences, accepting and rejecting equally prominent', async () => {
    const el = await cookiesElement(endpoint);
    const banner = part(el, '[part~=banner]');
    const [accept, reject] = [
      part(el, '[part~=banner] [part~=accept-all]'),
      part(el, '[part~=banner] [part~=reject-all]'),
    ];
    expect(accept.textContent!.trim()).to.equal('Accept all');
    expect(reject.textContent!.trim()).to.equal('Reject all');
    expect(part(el, '[part~=banner] [part~=preferences]').textContent!.trim()).to.equal('Preferences');
    const look = (b: Element) => {
      const s = getComputedStyle(b);
      return [
        s.backgroundColor,
        s.color,
        s.fontSize,
        s.fontWeight,
        s.borderWidth,
        b.getBoundingClientRect().height,
      ];
    };
    expect(look(accept)).to.deep.equal(look(reject));
    // An overlay: it takes no room in the page, so nothing moves when it appears.
    expect(getComputedStyle(banner).position).to.equal('fixed');
  });

  it('runs no gated script before a choice, and runs it once its category is granted', async () => {
    const analytics = gated('analytics', 'analyticsRan');
    gated('marketing', 'marketingRan');
    const el = await cookiesElement(endpoint);
    expect(flags.analyticsRan).to.equal(undefined);
    await el.show();
    part<HTMLInputElement>(el, '[part~=switch][aria-describedby=about-analytics]').click();
    await el.updateComplete;
    part(el, 'dialog [part~=save]').click();
    await until(() => flags.analyticsRan === 1);
    expect(flags.marketingRan).to.equal(undefined);
    expect(analytics.isConnected).to.be.false;
  });

  it('runs the scripts of granted categories on the next page, from the stored choice', async () => {
    setCookie(
      'assent_consent',
      stored(config.revision, {
        necessary: 'granted',
        functional: 'denied',
        analytics: 'granted',
        marketing: 'denied',
      }),
    );
    gated('analytics', 'analyticsRan');
    gated('marketing', 'marketingRan');
    const el = await cookiesElement(endpoint);
    expect(has(el, '[part~=banner]')).to.be.false;
    await until(() => flags.analyticsRan === 1);
    expect(flags.marketingRan).to.equal(undefined);
  });

  it("reads an assent_consent cookie of the first format once and rewrites it in today's", async () => {
    const time = Date.now() - 1000;
    const choices = { necessary: 'granted', functional: 'denied', analytics: 'granted', marketing: 'denied' };
    setCookie('assent_consent', {
      revision: config.revision,
      choices,
      consentId: 'old-id',
      record: 'r-1',
      t: time,
    });
    gated('analytics', 'analyticsRan');
    const el = await cookiesElement(endpoint);
    expect(has(el, '[part~=banner]')).to.be.false;
    await until(() => flags.analyticsRan === 1);
    expect(readCookie('assent_consent')).to.deep.equal({
      format: 2,
      revision: config.revision,
      choices,
      consentId: 'old-id',
      record: 'r-1',
      time,
    });
  });

  it('stores Reject all in assent_consent with the revision and posts a consent record for every category', async () => {
    const el = await cookiesElement(endpoint);
    const changed = nextEvent<AssentConsentChangedEvent>(el, 'assent-consent-changed');
    part(el, '[part~=banner] [part~=reject-all]').click();
    const { detail } = await changed;
    const denied = Object.fromEntries(
      config.categories.map((c) => [c.id, c.mode === 'necessary' ? 'granted' : 'denied']),
    );
    expect(detail.choices).to.deep.equal(denied);
    expect(detail.revision).to.equal(config.revision);
    const cookie = readCookie<Stored>('assent_consent')!;
    expect(cookie).to.include({
      revision: config.revision,
      consentId: detail.consentId,
      record: detail.record,
    });
    expect(cookie.choices).to.deep.equal(denied);
    expect(el.consent?.choices).to.deep.equal(denied);
    const record = await storedRecord(detail.record);
    expect(record.type).to.equal('consent');
    expect(record.cookies).to.deep.equal({ revision: config.revision });
    expect(record.choices).to.deep.equal(denied);
    expect(record.subject.kind).to.equal('anonymous');
    expect(record.shown.buttonText).to.equal('Reject all');
    await el.updateComplete;
    expect(has(el, '[part~=banner]')).to.be.false;
  });

  it("deletes a refused category's cookies, by name and by prefix, and keeps the others", async () => {
    for (const c of ['_ga=1', '_ga_ABC123=2', '_gcl_au=3', 'bt_prefs=4', 'site_session=5'])
      document.cookie = `${c}; path=/`;
    const el = await cookiesElement(endpoint);
    part(el, '[part~=banner] [part~=reject-all]').click();
    const names = () => document.cookie.split('; ').map((c) => c.split('=')[0]);
    await until(() => !names().includes('_ga'));
    expect(names()).to.not.include.members(['_ga', '_ga_ABC123', '_gcl_au', 'bt_prefs']);
    expect(names()).to.include.members(['site_session', 'assent_consent']);
  });

  it('asks again when the cookie configuration has a new revision, keeping the consent id', async () => {
    setCookie(
      'assent_consent',
      stored('an-older-revision', { necessary: 'granted', analytics: 'granted' }, 'kept-id'),
    );
    gated('analytics', 'analyticsRan');
    const el = await cookiesElement(endpoint);
    expect(part(el, '[part~=banner]')).to.exist;
    expect(flags.analyticsRan).to.equal(undefined);
    const changed = nextEvent<AssentConsentChangedEvent>(el, 'assent-consent-changed');
    part(el, '[part~=banner] [part~=accept-all]').click();
    expect((await changed).detail.consentId).to.equal('kept-id');
    await until(() => flags.analyticsRan === 1);
  });

  it('has a switch per category in the preferences, necessary always on, and saves exactly what is switched', async () => {
    const el = await cookiesElement(endpoint);
    part(el, '[part~=banner] [part~=preferences]').click();
    const dialog = await until(() => el.shadowRoot!.querySelector('dialog'));
    await el.updateComplete;
    expect(dialog.open).to.be.true;
    expect(el.open && el.hasAttribute('open')).to.be.true;
    const switches = [...dialog.querySelectorAll<HTMLInputElement>('[role=switch]')];
    expect(switches.length).to.equal(config.categories.length);
    const necessary = part<HTMLInputElement>(el, '[aria-describedby=about-necessary]');
    expect([necessary.checked, necessary.disabled]).to.deep.equal([true, true]);
    part<HTMLInputElement>(el, '[aria-describedby=about-marketing]').click();
    await el.updateComplete;
    const changed = nextEvent<AssentConsentChangedEvent>(el, 'assent-consent-changed');
    part(el, 'dialog [part~=save]').click();
    const { detail } = await changed;
    // functional is opt-out in the fixture: on unless switched off.
    expect(detail.choices).to.deep.equal({
      necessary: 'granted',
      functional: 'granted',
      analytics: 'denied',
      marketing: 'granted',
    });
    expect(dialog.open).to.be.false;
    const record = await storedRecord(detail.record);
    expect(record.choices).to.deep.equal(detail.choices);
    expect(record.shown.checkboxPreticked).to.equal(false);
  });

  it('reopens from any data-assent-open="cookies" element, Escape closes it and focus returns there', async () => {
    setCookie('assent_consent', stored(config.revision, { necessary: 'granted' }));
    const el = await cookiesElement(endpoint);
    const opener = document.createElement('button');
    opener.dataset.assentOpen = 'cookies';
    opener.textContent = 'Cookie settings';
    document.body.append(opener);
    opener.focus();
    await sendKeys({ press: 'Enter' });
    const dialog = await until(() => el.shadowRoot!.querySelector('dialog'));
    await until(() => dialog.open);
    expect(dialog.contains(el.shadowRoot!.activeElement)).to.be.true;
    await sendKeys({ press: 'Escape' });
    await until(() => !dialog.open);
    expect(document.activeElement === opener, 'focused element').to.be.true;
    expect(el.open || el.hasAttribute('open')).to.be.false;
  });

  it('opens when asked before the manifest has loaded, without an error', async () => {
    const el = document.createElement('assent-cookies');
    el.setAttribute('manifest', MANIFEST);
    el.setAttribute('endpoint', endpoint);
    document.body.append(el);
    void el.show();
    await until(() => el.shadowRoot?.querySelector<HTMLDialogElement>('dialog')?.open);
    expect(part<HTMLInputElement>(el, '[aria-describedby=about-functional]').checked).to.be.true;
  });

  it('with Global Privacy Control, starts opt-out categories switched off and says so in the banner', async () => {
    Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true });
    const el = await cookiesElement(endpoint);
    expect(part(el, '[part~=banner] [part~=gpc]').textContent!.trim()).to.equal(
      'Your browser sends Global Privacy Control, and we honour it: Functional start off.',
    );
    await el.show();
    expect(part<HTMLInputElement>(el, '[aria-describedby=about-functional]').checked).to.be.false;
    expect(part(el, 'dialog [part~=gpc]').textContent).to.contain('we honour it');
  });

  it('with Global Privacy Control and every category opt-in, still says in the banner and the dialog that it is honoured', async () => {
    Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true });
    const published = await manifest();
    const optInOnly = {
      ...published,
      cookies: {
        ...published.cookies!,
        policy: null,
        categories: published.cookies!.categories.map((c) =>
          c.mode === 'opt-out' ? { ...c, mode: 'opt-in' as const } : c,
        ),
      },
    };
    const url = URL.createObjectURL(new Blob([JSON.stringify(optInOnly)], { type: 'application/json' }));
    const host = document.createElement('div');
    host.innerHTML = `<assent-cookies endpoint="${endpoint}" manifest="${url}" locale="en"></assent-cookies>`;
    document.body.append(host);
    const el = host.firstElementChild as AssentCookies;
    await loaded(el, '[part~=banner]');
    const honoured =
      'Your browser sends Global Privacy Control, and we honour it: only what you switch on is used.';
    expect(part(el, '[part~=banner] [part~=gpc]').textContent!.trim()).to.equal(honoured);
    await el.show();
    expect(part(el, 'dialog [part~=gpc]').textContent!.trim()).to.equal(honoured);
    URL.revokeObjectURL(url);
  });

  it('with Global Privacy Control, posts records that say so (shown.gpc)', async () => {
    Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true });
    const posted: Array<{ shown: { gpc?: boolean } }> = [];
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      if (String(input).endsWith('/v1/records')) posted.push(JSON.parse(String(init!.body)));
      return realFetch(input, init);
    };
    try {
      const el = await cookiesElement(endpoint);
      const changed = nextEvent<AssentConsentChangedEvent>(el, 'assent-consent-changed');
      part(el, '[part~=banner] [part~=reject-all]').click();
      const { record } = (await changed).detail;
      await until(() => posted.length);
      expect(posted[0]).to.deep.include({ id: record });
      expect(posted[0]!.shown.gpc).to.equal(true);
    } finally {
      window.fetch = realFetch;
    }
  });

  it('without Global Privacy Control, starts opt-out categories switched on and opt-in ones off', async () => {
    const el = await cookiesElement(endpoint);
    expect(has(el, '[part~=gpc]')).to.be.false;
    await el.show();
    expect(part<HTMLInputElement>(el, '[aria-describedby=about-functional]').checked).to.be.true;
    expect(part<HTMLInputElement>(el, '[aria-describedby=about-analytics]').checked).to.be.false;
  });

  it('sends Google Consent Mode default (denied) on load and update after the choice', async () => {
    const calls: unknown[][] = [];
    (window as { gtag?: unknown }).gtag = (...args: unknown[]) => calls.push(args);
    const el = await cookiesElement(endpoint);
    await until(() => calls.length);
    expect(calls[0]).to.deep.equal([
      'consent',
      'default',
      {
        security_storage: 'granted',
        functionality_storage: 'denied',
        personalization_storage: 'denied',
        analytics_storage: 'denied',
        ad_storage: 'denied',
        ad_user_data: 'denied',
        ad_personalization: 'denied',
      },
    ]);
    part(el, '[part~=banner] [part~=accept-all]').click();
    await until(() => calls.length > 1);
    // One update: the page does not hear its own announcement to other tabs as another choice.
    await new Promise((r) => setTimeout(r, 100));
    expect(calls).to.have.length(2);
    expect(calls.at(-1)![1]).to.equal('update');
    expect(Object.values(calls.at(-1)![2] as object).every((v) => v === 'granted')).to.be.true;
  });

  it('works with the keyboard alone: Tab to Reject all and press Enter', async () => {
    const el = await cookiesElement(endpoint);
    const changed = nextEvent<AssentConsentChangedEvent>(el, 'assent-consent-changed');
    part(el, '[part~=banner] [part~=accept-all]').focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement === part(el, '[part~=banner] [part~=reject-all]'), 'focused element')
      .to.be.true;
    await sendKeys({ press: 'Enter' });
    expect((await changed).detail.choices.analytics).to.equal('denied');
  });

  it('speaks Chinese on a Chinese page, category names included', async () => {
    document.documentElement.lang = 'zh-CN';
    const el = await cookiesElement(endpoint, '');
    expect(part(el, '[part~=banner] [part~=reject-all]').textContent!.trim()).to.equal('全部拒绝');
    await el.show();
    expect(part(el, 'dialog [part~=category] label').textContent!.trim()).to.equal('必要 Cookie');
  });

  it('animates the banner in, unless the user prefers reduced motion', async () => {
    await emulateMedia({ reducedMotion: 'no-preference' });
    const moving = await cookiesElement(endpoint);
    expect(getComputedStyle(part(moving, '[part~=banner]')).animationName).to.equal('assent-in');
    moving.remove();
    await emulateMedia({ reducedMotion: 'reduce' });
    const still = await cookiesElement(endpoint);
    expect(getComputedStyle(part(still, '[part~=banner]')).animationName).to.equal('none');
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`passes an axe accessibility check (contrast included) in the ${colorScheme} scheme, banner and dialog`, async () => {
      await emulateMedia({ reducedMotion: 'reduce', colorScheme });
      const el = await cookiesElement(endpoint);
      expect(getComputedStyle(part(el, '[part~=banner]')).backgroundColor).to.equal(
        colorScheme === 'dark' ? 'rgb(31, 31, 31)' : 'rgb(255, 255, 255)',
      );
      await expect(el).to.be.accessible();
      await el.show();
      await expect(el).to.be.accessible();
      await emulateMedia({ colorScheme: 'light' });
    });
  }
});
