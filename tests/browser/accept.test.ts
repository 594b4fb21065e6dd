import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import '../../components/accept/define.ts';
import type { AssentAccept } from '../../components/accept/accept.ts';
import type {
  AssentAcceptedEvent,
  AssentErrorEvent,
  AssentRecordedEvent,
} from '../../components/shared/events.ts';
import type { ManifestVersion } from '../../src/contract/manifest.ts';
import { verifyReceipt } from '../../src/contract/proof/receipt.ts';
import {
  endpointUrl,
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
  storedRecords,
  until,
} from './helpers.ts';

const SLUG = 'weisure-service-agreement';
let endpoint: string;
let current: ManifestVersion;
let first: ManifestVersion;

async function acceptElement(attributes = '') {
  const host = document.createElement('div');
  host.innerHTML = `<assent-accept document="${SLUG}" subject="user-7" endpoint="${endpoint}" manifest="${MANIFEST}" ${attributes}></assent-accept>`;
  document.body.append(host);
  const el = host.firstElementChild as AssentAccept;
  await loaded(el, '[part~=notice] a');
  return el;
}

describe('<assent-accept>', () => {
  before(async () => {
    endpoint = await endpointUrl();
    const doc = (await manifest()).documents.find((d) => d.slug === SLUG)!;
    [first, current] = [doc.versions[0]!, doc.versions.at(-1)!];
  });
  beforeEach(() => {
    resetPage();
    document.body.replaceChildren();
  });

  it('names the version in effect, links to its page, and starts with the box unticked and the button disabled', async () => {
    const el = await acceptElement('locale="en"');
    const link = part<HTMLAnchorElement>(el, '[part~=link]');
    expect(link.textContent).to.equal(current.title);
    expect(link.href).to.equal(new URL(`/site${current.url}`, location.href).href);
    expect(part(el, '[part~=version]').textContent).to.equal(`Version ${current.version}`);
    expect(part<HTMLInputElement>(el, '[part~=checkbox]').checked).to.be.false;
    expect(part<HTMLButtonElement>(el, '[part~=accept]').disabled).to.be.true;
  });

  it('posts an accepted record with the version, content hash and exact button text shown', async () => {
    const el = await acceptElement('locale="en" button-text="I agree"');
    part<HTMLInputElement>(el, '[part~=checkbox]').click();
    await el.updateComplete;
    const accepted = nextEvent<AssentAcceptedEvent>(el, 'assent-accepted');
    const recorded = nextEvent<AssentRecordedEvent>(el, 'assent-recorded');
    part(el, '[part~=accept]').click();
    const { detail } = await accepted;
    expect(detail).to.include({ document: SLUG, version: current.version, hash: current.contentHash });
    await recorded;
    const record = await storedRecord(detail.record);
    expect(record.type).to.equal('accepted');
    expect(record.document).to.deep.equal({
      slug: SLUG,
      version: current.version,
      contentHash: current.contentHash,
    });
    expect(record.shown).to.include({
      component: 'assent-accept',
      buttonText: 'I agree',
      locale: 'en',
      checkboxPreticked: false,
      pageOrigin: location.origin,
    });
    expect(record.subject.kind).to.equal('user');
    await el.updateComplete;
    expect(part(el, '[part~=status]').textContent!.trim()).to.equal('Saved.');
  });

  it('fires a cancelable assent-accept: cancelling it records nothing', async () => {
    const el = await acceptElement();
    el.addEventListener('assent-accept', (e) => e.preventDefault());
    let accepted = false;
    el.addEventListener('assent-accepted', () => (accepted = true));
    const before = (await storedRecords()).length;
    part<HTMLInputElement>(el, '[part~=checkbox]').click();
    await el.updateComplete;
    part(el, '[part~=accept]').click();
    await new Promise((r) => setTimeout(r, 300));
    expect(accepted).to.be.false;
    expect(el.accepted).to.be.false;
    expect(localStorage.getItem('assent_outbox')).to.equal(null);
    expect((await storedRecords()).length).to.equal(before);
  });

  it('posts a declined record when the user declines', async () => {
    const el = await acceptElement('decline locale="en"');
    const declined = nextEvent<AssentAcceptedEvent>(el, 'assent-declined');
    part(el, '[part~=decline]').click();
    const record = await storedRecord((await declined).detail.record);
    expect(record.type).to.equal('declined');
    expect(record.shown.buttonText).to.equal('Decline');
    expect(el.accepted).to.be.false;
  });

  it('names one anonymous subject for every record of a visitor without a user id', async () => {
    const anonymous = async () => {
      const host = document.createElement('div');
      host.innerHTML = `<assent-accept document="${SLUG}" decline endpoint="${endpoint}" manifest="${MANIFEST}"></assent-accept>`;
      document.body.append(host);
      const el = host.firstElementChild as AssentAccept;
      await loaded(el, '[part~=notice] a');
      const declined = nextEvent<AssentAcceptedEvent>(el, 'assent-declined');
      part(el, '[part~=decline]').click();
      return storedRecord((await declined).detail.record);
    };
    const [first, second] = [await anonymous(), await anonymous()];
    expect(first.subject.kind).to.equal('anonymous');
    expect(second.subject.hash).to.equal(first.subject.hash);
    expect(readCookie<{ subject: string }>('assent_accept')?.subject).to.be.a('string');
  });

  it('remembers the acceptance in the assent_accept cookie and shows "accepted on" next time', async () => {
    const el = await acceptElement('locale="en"');
    part<HTMLInputElement>(el, '[part~=checkbox]').click();
    await el.updateComplete;
    const accepted = nextEvent<AssentAcceptedEvent>(el, 'assent-accepted');
    part(el, '[part~=accept]').click();
    const { detail } = await accepted;
    const cookie = readCookie<{ format: number; documents: Record<string, { accepted: object }> }>(
      'assent_accept',
    );
    expect(cookie?.format).to.equal(2);
    expect(cookie?.documents[SLUG]?.accepted).to.include({
      version: current.version,
      hash: current.contentHash,
      record: detail.record,
    });

    const again = await acceptElement('locale="en"');
    expect(again.accepted).to.be.true;
    expect(again.hasAttribute('accepted')).to.be.true;
    expect(part(again, '[part~=notice]').textContent).to.match(
      new RegExp(`You accepted ${current.title}, version ${current.version}, on \\w+ \\d+, \\d{4}\\.`),
    );
    expect(has(again, '[part~=accept]')).to.be.false;
  });

  it('asks again once a required version has taken effect since the acceptance', async () => {
    setCookie('assent_accept', {
      format: 2,
      documents: {
        [SLUG]: { accepted: { version: first.version, hash: first.contentHash, time: Date.now() } },
      },
    });
    const el = await acceptElement();
    expect(current.acceptance).to.equal('required');
    expect(el.accepted).to.be.false;
    expect(part(el, '[part~=version]').textContent).to.contain(current.version);
  });

  it('blocks form submission until accepted with a native message, then submits the accepted version, and the signed receipt once recorded', async () => {
    const form = await fixture<HTMLFormElement>(html`
      <form>
        <assent-accept
          name="terms"
          required
          locale="en"
          document=${SLUG}
          endpoint=${endpoint}
          manifest=${MANIFEST}
        ></assent-accept>
      </form>
    `);
    const el = form.querySelector('assent-accept')!;
    await loaded(el, '[part~=notice] a');
    let submitted = 0;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      submitted++;
    });
    form.requestSubmit();
    expect(submitted).to.equal(0);
    expect(form.checkValidity()).to.be.false;
    expect(el.validity.valueMissing).to.be.true;
    expect(el.validationMessage).to.equal(`Please accept the ${current.title} to continue.`);
    expect(new FormData(form).has('terms')).to.be.false;

    part<HTMLInputElement>(el, '[part~=checkbox]').click();
    await el.updateComplete;
    const recorded = nextEvent<AssentRecordedEvent>(el, 'assent-recorded');
    part(el, '[part~=accept]').click();
    await el.updateComplete;
    expect(form.checkValidity()).to.be.true;
    form.requestSubmit();
    expect(submitted).to.equal(1);
    expect(new FormData(form).get('terms')).to.equal(current.version);
    const { receipt } = (await recorded).detail;
    await el.updateComplete;
    // The form carries the endpoint's signed receipt of this acceptance (a batch receipt or a
    // compact JWS: verifyReceipt takes either), which the partner's backend can check offline.
    const keys = await (await fetch(`${endpoint}/.well-known/assent-keys.json`)).json();
    const claims = await verifyReceipt(receipt.receipt, keys, { document: SLUG });
    expect(claims.document?.version).to.equal(current.version);
    expect(new FormData(form).get('terms')).to.equal(receipt.receipt);
  });

  it('can be accepted with the keyboard alone', async () => {
    const el = await acceptElement('locale="en"');
    const accepted = nextEvent<AssentAcceptedEvent>(el, 'assent-accepted');
    part<HTMLInputElement>(el, '[part~=checkbox]').focus();
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement === part(el, '[part~=accept]'), 'focused element').to.be.true;
    await sendKeys({ press: 'Enter' });
    await accepted;
    await el.updateComplete;
    // Focus stays in the element, on the confirmation that replaced the controls.
    expect(el.shadowRoot!.activeElement === part(el, '[part~=notice]'), 'focused element').to.be.true;
  });

  it('shows the key clauses when asked, folded until opened', async () => {
    const el = await acceptElement('key-clauses locale="en"');
    const digest = part<HTMLDetailsElement>(el, '[part~=digest]');
    expect(digest.open).to.be.false;
    const links = [...digest.querySelectorAll('a')];
    expect(links.length).to.equal(current.keyClauses.length);
    expect(links[0]!.textContent).to.equal(current.keyClauses[0]!.text);
    expect(links[0]!.hash).to.equal(`#${current.keyClauses[0]!.anchor}`);
  });

  it("speaks the page's language, unless the locale attribute says otherwise", async () => {
    document.documentElement.lang = 'zh-CN';
    const zh = await acceptElement();
    expect(part(zh, '[part~=accept]').textContent!.trim()).to.equal('同意并继续');
    const en = await acceptElement('locale="en"');
    expect(part(en, '[part~=accept]').textContent!.trim()).to.equal('Accept and continue');
  });

  it('reports a manifest that cannot be loaded with assent-error instead of throwing', async () => {
    const el = document.createElement('assent-accept');
    el.setAttribute('document', SLUG);
    el.setAttribute('manifest', '/site/missing.json');
    const error = nextEvent<AssentErrorEvent>(el, 'assent-error');
    document.body.append(el);
    expect((await error).detail.message).to.contain('404');
    await el.updateComplete;
    expect(part(el, '[part~=error]').getAttribute('role')).to.equal('alert');
  });

  it('reflects its state as loading, then ready, with no error', async () => {
    const el = document.createElement('assent-accept') as AssentAccept;
    el.setAttribute('document', SLUG);
    el.setAttribute('manifest', MANIFEST);
    document.body.append(el);
    expect(el.state).to.equal('loading');
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('loading');
    await until(() => el.getAttribute('state') === 'ready');
    expect(el.state).to.equal('ready');
    expect(el.error).to.equal(undefined);
  });

  it('keeps a manifest failure readable after assent-error has fired, for scripts that listen late', async () => {
    const el = document.createElement('assent-accept') as AssentAccept;
    el.setAttribute('document', SLUG);
    el.setAttribute('manifest', '/site/missing.json');
    document.body.append(el);
    // As a deferred page script that runs after the event: it finds the state and the error.
    await until(() => el.getAttribute('state') === 'error');
    expect(el.state).to.equal('error');
    expect(el.error!.message).to.contain('/site/missing.json').and.contain('404');
  });

  it('says what may block a manifest that cannot be fetched at all, instead of "Failed to fetch"', async () => {
    const el = document.createElement('assent-accept') as AssentAccept;
    el.setAttribute('document', SLUG);
    // Browsers refuse port 9 (a blocked port): fetch() rejects as for CORS and CSP refusals.
    el.setAttribute('manifest', 'http://127.0.0.1:9/assent/manifest.json');
    const error = nextEvent<AssentErrorEvent>(el, 'assent-error');
    document.body.append(el);
    expect((await error).detail.message).to.equal(
      "http://127.0.0.1:9/assent/manifest.json could not be loaded: the site may be down, send no Access-Control-Allow-Origin, or be blocked by the page's Content-Security-Policy (connect-src)",
    );
  });

  it('reports an unknown document with assent-error, and the page sees no uncaught error', async () => {
    const uncaught: unknown[] = [];
    const onError = (e: ErrorEvent) => uncaught.push(e.error);
    window.addEventListener('error', onError);
    const el = document.createElement('assent-accept');
    el.setAttribute('document', 'no-such-document');
    el.setAttribute('manifest', MANIFEST);
    const error = nextEvent<AssentErrorEvent>(el, 'assent-error');
    document.body.append(el);
    expect((await error).detail.message).to.equal('the manifest has no document "no-such-document"');
    await el.updateComplete;
    window.removeEventListener('error', onError);
    expect(uncaught).to.deep.equal([]);
    expect(part(el, '[part~=error]').textContent).to.equal('Could not load this notice.');
  });

  it('passes an axe accessibility check, before and after accepting', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    const el = await acceptElement('key-clauses decline');
    await expect(el).to.be.accessible();
    part<HTMLInputElement>(el, '[part~=checkbox]').click();
    await el.updateComplete;
    part(el, '[part~=accept]').click();
    await until(() => el.accepted);
    await expect(el).to.be.accessible();
  });
});
