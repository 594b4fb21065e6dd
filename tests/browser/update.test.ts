import { expect } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import '../../components/update/define.ts';
import type { AssentUpdate } from '../../components/update/update.ts';
import type { AssentAcceptedEvent } from '../../components/shared/events.ts';
import type { ManifestDocument } from '../../src/contract/manifest.ts';
import {
  endpointUrl,
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

const AGREEMENT = 'weisure-service-agreement';
const PRIVACY = 'besttrav-privacy-policy';
let endpoint: string;
let agreement: ManifestDocument;
let privacy: ManifestDocument;

async function updateElement(slug: string, attributes = 'locale="en"') {
  const host = document.createElement('div');
  host.innerHTML = `<button id="before">Somewhere on the page</button><assent-update document="${slug}" endpoint="${endpoint}" manifest="${MANIFEST}" ${attributes}></assent-update>`;
  document.body.append(host);
  host.querySelector<HTMLElement>('#before')!.focus();
  const el = host.querySelector('assent-update') as AssentUpdate;
  await new Promise((r) => setTimeout(r, 200));
  await el.updateComplete;
  return el;
}

const mark = (doc: ManifestDocument, i: number) => ({
  version: doc.versions[i]!.version,
  hash: doc.versions[i]!.contentHash,
  time: Date.now(),
});

/** `assent_accept` in today's format (see components/shared/cookies.ts). */
const marks = (documents: Record<string, unknown>) => ({ format: 2, documents });

describe('<assent-update>', () => {
  before(async () => {
    endpoint = await endpointUrl();
    const m = await manifest();
    agreement = m.documents.find((d) => d.slug === AGREEMENT)!;
    privacy = m.documents.find((d) => d.slug === PRIVACY)!;
  });
  beforeEach(async () => {
    resetPage();
    document.body.replaceChildren();
    await emulateMedia({ reducedMotion: 'reduce' });
  });

  it('shows nothing on a first visit and remembers the version in effect', async () => {
    const el = await updateElement(AGREEMENT);
    expect(has(el, 'dialog')).to.be.false;
    expect(has(el, '[part~=notice]')).to.be.false;
    const cookie = readCookie<{ documents: Record<string, { notified: { version: string } }> }>(
      'assent_accept',
    );
    expect(cookie?.documents[AGREEMENT]?.notified.version).to.equal(agreement.versions.at(-1)!.version);
  });

  it('opens a modal dialog for a required change, with the summary and links to the new version and its changes', async () => {
    setCookie('assent_accept', marks({ [AGREEMENT]: { accepted: mark(agreement, 0) } }));
    const el = await updateElement(AGREEMENT);
    const dialog = part<HTMLDialogElement>(el, 'dialog');
    expect(dialog.open).to.be.true;
    expect(dialog.matches(':modal')).to.be.true;
    const latest = agreement.versions.at(-1)!;
    expect(part(el, '[part~=summary]').textContent).to.equal(latest.summary);
    const links = [...dialog.querySelectorAll<HTMLAnchorElement>('[part~=link]')].map((a) => a.href);
    const site = new URL('/site/', location.href).href;
    expect(links).to.deep.equal([site + latest.url.slice(1), site + latest.changesUrl!.slice(1)]);
  });

  it('keeps the required dialog open on Escape and keeps Tab inside it', async () => {
    setCookie('assent_accept', marks({ [AGREEMENT]: { accepted: mark(agreement, 0) } }));
    const el = await updateElement(AGREEMENT);
    const dialog = part<HTMLDialogElement>(el, 'dialog');
    await sendKeys({ press: 'Escape' });
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(part<HTMLDialogElement>(el, 'dialog').open).to.be.true;
    for (let i = 0; i < 6; i++) {
      await sendKeys({ press: 'Tab' });
      expect(dialog.contains(el.shadowRoot!.activeElement), `after ${i + 1} Tab`).to.be.true;
    }
    await sendKeys({ down: 'Shift' });
    for (let i = 0; i < 3; i++) {
      await sendKeys({ press: 'Tab' });
      expect(dialog.contains(el.shadowRoot!.activeElement), `after ${i + 1} Shift+Tab`).to.be.true;
    }
    await sendKeys({ up: 'Shift' });
  });

  it('posts an accepted record for the new version, closes, and returns focus', async () => {
    setCookie('assent_accept', marks({ [AGREEMENT]: { accepted: mark(agreement, 0) } }));
    const el = await updateElement(AGREEMENT);
    const latest = agreement.versions.at(-1)!;
    const accepted = nextEvent<AssentAcceptedEvent>(el, 'assent-accepted');
    part(el, '[part~=accept]').click();
    const { detail } = await accepted;
    expect(detail).to.include({ document: AGREEMENT, version: latest.version, hash: latest.contentHash });
    await el.updateComplete;
    expect(has(el, 'dialog')).to.be.false;
    expect(document.activeElement?.id).to.equal('before');
    const record = await storedRecord(detail.record);
    expect(record.type).to.equal('accepted');
    expect(record.shown).to.include({
      component: 'assent-update',
      buttonText: 'Accept and continue',
      locale: 'en',
    });
    const cookie = readCookie<{ documents: Record<string, { accepted: { version: string } }> }>(
      'assent_accept',
    );
    expect(cookie?.documents[AGREEMENT]?.accepted.version).to.equal(latest.version);
  });

  it('shows a dismissible notice for a notice change, with the upcoming version and its date; dismissing posts acknowledged', async () => {
    setCookie('assent_accept', marks({ [PRIVACY]: { notified: mark(privacy, 0) } }));
    const el = await updateElement(PRIVACY);
    expect(has(el, 'dialog')).to.be.false;
    const notice = part(el, '[part~=notice]');
    expect(getComputedStyle(notice).position).to.equal('fixed');
    expect(part(el, '[part~=summary]').textContent).to.equal(privacy.versions[1]!.summary);
    expect(part(el, '[part~=upcoming]').textContent).to.contain(
      'Version 2099-01-01 takes effect on January 1, 2099.',
    );
    const acknowledged = nextEvent<AssentAcceptedEvent>(el, 'assent-acknowledged');
    part(el, '[part~=dismiss]').click();
    const { detail } = await acknowledged;
    expect(detail.version).to.equal('2021-06-01');
    expect((await storedRecord(detail.record)).type).to.equal('acknowledged');
    await el.updateComplete;
    expect(has(el, '[part~=notice]')).to.be.false;
  });

  it('closes the notice with Escape, which acknowledges it', async () => {
    setCookie('assent_accept', marks({ [PRIVACY]: { notified: mark(privacy, 0) } }));
    const el = await updateElement(PRIVACY);
    const acknowledged = nextEvent<AssentAcceptedEvent>(el, 'assent-acknowledged');
    part(el, '[part~=dismiss]').focus();
    await sendKeys({ press: 'Escape' });
    await acknowledged;
    await el.updateComplete;
    expect(has(el, '[part~=notice]')).to.be.false;
  });

  it('announces a version that is not yet in effect as upcoming, with its date, once', async () => {
    setCookie('assent_accept', marks({ [PRIVACY]: { notified: mark(privacy, 1) } }));
    const el = await updateElement(PRIVACY, 'locale="zh-CN"');
    expect(part(el, '[part~=title]').textContent!.trim()).to.equal('隐私及个人信息保护政策即将更新');
    expect(part(el, '[part~=notice]').textContent).to.contain('版本 2099-01-01 于 2099年1月1日 生效。');
    const acknowledged = nextEvent<AssentAcceptedEvent>(el, 'assent-acknowledged');
    part(el, '[part~=dismiss]').click();
    expect((await acknowledged).detail.version).to.equal('2099-01-01');
    const again = await updateElement(PRIVACY);
    expect(has(again, '[part~=notice]')).to.be.false;
  });

  it("reads an assent_accept cookie of the first format once and rewrites it in today's", async () => {
    const old = agreement.versions[0]!;
    setCookie('assent_accept', {
      '@': 'earlier-subject',
      [AGREEMENT]: { a: { v: old.version, h: old.contentHash, t: 1_600_000_000_000, id: 'r-1' } },
      [PRIVACY]: { u: '2099-01-01' },
    });
    const el = await updateElement(AGREEMENT);
    // The acceptance it holds is understood: a required version took effect since.
    expect(part<HTMLDialogElement>(el, 'dialog').open).to.be.true;
    expect(readCookie('assent_accept')).to.deep.equal({
      format: 2,
      subject: 'earlier-subject',
      documents: {
        [AGREEMENT]: {
          accepted: { version: old.version, time: 1_600_000_000_000, hash: old.contentHash, record: 'r-1' },
        },
        [PRIVACY]: { dismissed: '2099-01-01' },
      },
    });
  });

  it('passes an axe accessibility check, dialog and notice', async () => {
    setCookie(
      'assent_accept',
      marks({ [AGREEMENT]: { accepted: mark(agreement, 0) }, [PRIVACY]: { notified: mark(privacy, 0) } }),
    );
    const modal = await updateElement(AGREEMENT);
    await expect(modal).to.be.accessible();
    part(modal, '[part~=accept]').click();
    const notice = await updateElement(PRIVACY);
    await until(() => notice.shadowRoot!.querySelector('[part~=notice]'));
    await expect(notice).to.be.accessible();
  });
});
