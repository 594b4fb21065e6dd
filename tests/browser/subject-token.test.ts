import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../../components/accept/define.ts';
import '../../components/update/define.ts';
import type { AssentAccept } from '../../components/accept/accept.ts';
import type { AssentUpdate } from '../../components/update/update.ts';
import type { AssentErrorEvent, AssentRecordedEvent } from '../../components/shared/events.ts';
import type { ManifestDocument } from '../../src/contract/manifest.ts';
import { verifyReceipt } from '../../src/contract/proof/receipt.ts';
import { recordId } from '../../src/contract/record-id.ts';
import {
  endpointUrl,
  has,
  loaded,
  manifest,
  MANIFEST,
  nextEvent,
  part,
  resetPage,
  setCookie,
  startEndpoint,
  stopEndpoint,
  subjectToken,
  until,
} from './helpers.ts';

const AGREEMENT = 'weisure-service-agreement';
let endpoint: string;
let agreement: ManifestDocument;
let subjectCount = 0;
/** A subject no earlier test touched. */
const freshSubject = () => `st-user-${Date.now()}-${++subjectCount}`;

/** What another device did: an acceptance the endpoint stored for `subject`. */
async function acceptedElsewhere(subject: string, version = agreement.versions.at(-1)!): Promise<void> {
  const response = await fetch(`${endpoint}/v1/records`, {
    method: 'POST',
    body: JSON.stringify({
      id: recordId(),
      type: 'accepted',
      clientTime: new Date().toISOString(),
      subject: { kind: 'user', id: subject },
      document: { slug: AGREEMENT, version: version.version, contentHash: version.contentHash },
      shown: {
        component: 'assent-accept',
        componentVersion: '0.1.0',
        locale: 'en',
        buttonText: 'Accept and continue',
        checkboxPreticked: false,
        pageOrigin: location.origin,
        pagePath: '/other-device',
      },
    }),
  });
  expect(response.status).to.equal(201);
}

async function acceptElement(attributes: string): Promise<AssentAccept> {
  const host = document.createElement('div');
  host.innerHTML = `<assent-accept document="${AGREEMENT}" locale="en" endpoint="${endpoint}" manifest="${MANIFEST}" ${attributes}></assent-accept>`;
  document.body.append(host);
  const el = host.firstElementChild as AssentAccept;
  await loaded(el, '[part~=notice] a[href*="/"]');
  await until(() =>
    el.shadowRoot!.querySelector('[part~=version], [part~=notice]')?.textContent?.match(/\d{4}-/),
  );
  await el.updateComplete;
  return el;
}

async function updateElement(attributes: string): Promise<AssentUpdate> {
  const host = document.createElement('div');
  host.innerHTML = `<assent-update document="${AGREEMENT}" locale="en" endpoint="${endpoint}" manifest="${MANIFEST}" ${attributes}></assent-update>`;
  document.body.append(host);
  const el = host.firstElementChild as AssentUpdate;
  await until(() => el.state !== 'loading');
  await new Promise((r) => setTimeout(r, 300));
  await el.updateComplete;
  return el;
}

const jwks = async () => (await fetch(`${endpoint}/.well-known/assent-keys.json`)).json();

describe('subject tokens: <assent-accept> and <assent-update> ask the endpoint', () => {
  before(async () => {
    endpoint = await endpointUrl();
    agreement = (await manifest()).documents.find((d) => d.slug === AGREEMENT)!;
  });
  beforeEach(async () => {
    resetPage();
    document.body.replaceChildren();
    await emulateMedia({ reducedMotion: 'reduce' });
  });

  it('<assent-accept> shows an acceptance made on another device, and submits its signed receipt', async () => {
    const subject = freshSubject();
    await acceptedElsewhere(subject);
    const form = await fixture<HTMLFormElement>(html`<form></form>`);
    const token = await subjectToken(subject);
    form.innerHTML = `<assent-accept name="terms" required="recorded" document="${AGREEMENT}" subject="${subject}" subject-token="${token}" locale="en" endpoint="${endpoint}" manifest="${MANIFEST}"></assent-accept>`;
    const el = form.querySelector('assent-accept')!;
    await until(() => el.accepted);
    await el.updateComplete;
    expect(part(el, '[part~=notice]').textContent).to.contain(
      `You accepted ${agreement.versions.at(-1)!.title}`,
    );
    expect(form.checkValidity()).to.be.true;
    const receipt = new FormData(form).get('terms');
    expect(el.value).to.equal(receipt);
    const claims = await verifyReceipt(receipt, await jwks(), {
      subject,
      document: AGREEMENT,
      version: agreement.versions.at(-1)!.version,
    });
    expect(claims.type).to.equal('accepted');
  });

  it("<assent-accept> takes the endpoint's word over this browser's cookie, which may be another user's", async () => {
    const current = agreement.versions.at(-1)!;
    setCookie('assent_accept', {
      format: 2,
      documents: {
        [AGREEMENT]: {
          accepted: {
            version: current.version,
            hash: current.contentHash,
            time: Date.now(),
            record: recordId(),
          },
        },
      },
    });
    const without = await acceptElement('subject="someone"');
    expect(without.accepted).to.be.true;
    without.remove();
    const subject = freshSubject();
    const el = await acceptElement(`subject="${subject}" subject-token="${await subjectToken(subject)}"`);
    expect(el.accepted).to.be.false;
    expect(has(el, '[part~=checkbox]')).to.be.true;
  });

  it('<assent-accept> with a token that fails behaves as without one, and says why in assent-error', async () => {
    const current = agreement.versions.at(-1)!;
    setCookie('assent_accept', {
      format: 2,
      documents: {
        [AGREEMENT]: { accepted: { version: current.version, hash: current.contentHash, time: Date.now() } },
      },
    });
    const subject = freshSubject();
    const expired = await subjectToken(subject, 900);
    const host = document.createElement('div');
    host.innerHTML = `<assent-accept document="${AGREEMENT}" subject="${subject}" subject-token="${expired}" locale="en" endpoint="${endpoint}" manifest="${MANIFEST}"></assent-accept>`;
    const el = host.firstElementChild as AssentAccept;
    const failed = nextEvent<AssentErrorEvent>(el, 'assent-error');
    document.body.append(host);
    const { detail } = await failed;
    expect(detail).to.include({ subjectToken: true, status: 401 });
    expect(detail.message).to.match(/expired/);
    expect(detail.problem?.code).to.equal('subject-token-refused');
    await until(() => el.accepted);
    expect(el.state).to.equal('ready');
    expect(el.error?.subjectToken).to.be.true;
  });

  it('<assent-accept required="recorded"> is invalid until the endpoint confirms, then submits the receipt', async () => {
    const form = await fixture<HTMLFormElement>(html`
      <form>
        <assent-accept
          name="terms"
          required="recorded"
          control="button"
          locale="en"
          subject="recorded-user"
          document=${AGREEMENT}
          endpoint=${endpoint}
          manifest=${MANIFEST}
        ></assent-accept>
      </form>
    `);
    const el = form.querySelector('assent-accept')!;
    await loaded(el, '[part~=accept]:enabled');
    expect(el.validationMessage).to.equal(
      `Please accept the ${agreement.versions.at(-1)!.title} to continue.`,
    );
    const recorded = nextEvent<AssentRecordedEvent>(el, 'assent-recorded');
    part(el, '[part~=accept]').click();
    await el.updateComplete;
    expect(form.checkValidity()).to.be.false;
    expect(el.validationMessage).to.match(/^Recording your acceptance of the /);
    const { detail } = await recorded;
    await el.updateComplete;
    expect(form.checkValidity()).to.be.true;
    expect(new FormData(form).get('terms')).to.equal(detail.receipt.receipt);
    await verifyReceipt(el.value, await jwks(), { subject: 'recorded-user', document: AGREEMENT });
  });

  for (const [locale, message] of [
    ['en', /^Not recorded yet: the record service cannot be reached/],
    ['zh-CN', /^尚未记录：暂时无法连接记录服务/],
  ] as const) {
    it(`<assent-accept required="recorded"> says so when the endpoint is down (${locale})`, async () => {
      const form = await fixture<HTMLFormElement>(html`<form></form>`);
      form.innerHTML = `<assent-accept name="terms" required="recorded" control="button" locale="${locale}" document="${AGREEMENT}" endpoint="${endpoint}" manifest="${MANIFEST}"></assent-accept>`;
      const el = form.querySelector('assent-accept')!;
      await loaded(el, '[part~=accept]:enabled');
      await stopEndpoint();
      try {
        const failed = nextEvent<AssentErrorEvent>(el, 'assent-error');
        part(el, '[part~=accept]').click();
        await failed;
        await el.updateComplete;
        expect(el.accepted).to.be.true;
        expect(form.checkValidity()).to.be.false;
        expect(el.validity.valueMissing).to.be.true;
        expect(el.validationMessage).to.match(message);
        // Plain `required` keeps today's meaning: accepted is enough.
        el.required = true;
        await el.updateComplete;
        expect(form.checkValidity()).to.be.true;
        expect(new FormData(form).get('terms')).to.equal(agreement.versions.at(-1)!.version);
      } finally {
        await startEndpoint();
      }
    });
  }

  it('<assent-accept required="recorded"> gets the receipt of a record an earlier page left queued, delivered as the page loads', async () => {
    await stopEndpoint();
    const src = `/tests/browser/fixtures/accept.html?required=recorded&endpoint=${encodeURIComponent(endpoint)}&manifest=${MANIFEST}`;
    const frame = document.createElement('iframe');
    frame.src = src;
    document.body.append(frame);
    const element = () => frame.contentDocument?.querySelector('assent-accept') as AssentAccept | null;
    try {
      await until(() => element()?.shadowRoot?.querySelector('[part~=accept]:enabled'));
      part(element()!, '[part~=accept]').click();
      await until(() => element()!.error?.retrying);
      expect(element()!.checkValidity()).to.be.false;
    } finally {
      await startEndpoint();
    }
    frame.src = `${src}&again`;
    // The value is the version (a date) until the receipt is at hand; the element in the
    // reloading frame may not be upgraded yet (value undefined).
    await until(() => (element()?.value?.length ?? 0) > 'YYYY-MM-DD'.length, 20_000);
    expect(element()!.accepted).to.be.true;
    expect(element()!.checkValidity()).to.be.true;
    await verifyReceipt(element()!.value, await jwks(), { document: AGREEMENT });
    frame.remove();
  });

  it('<assent-update> pops up a required version on a device that never saw the subject accept the earlier one', async () => {
    const subject = freshSubject();
    await acceptedElsewhere(subject, agreement.versions[0]);
    // Without a token, a first visit shows nothing.
    const without = await updateElement(`subject="${subject}"`);
    expect(has(without, 'dialog')).to.be.false;
    without.remove();
    resetPage();
    const el = await updateElement(`subject="${subject}" subject-token="${await subjectToken(subject)}"`);
    await until(() => el.shadowRoot!.querySelector('dialog[open]'));
    expect(part(el, '[part~=title]').textContent).to.contain(agreement.versions.at(-1)!.title);
  });

  it('<assent-update> shows nothing once the subject accepted the required version on another device', async () => {
    const subject = freshSubject();
    await acceptedElsewhere(subject, agreement.versions[0]);
    await acceptedElsewhere(subject);
    // This browser remembers only the old acceptance: alone, that asks for the new one.
    const old = () =>
      setCookie('assent_accept', {
        format: 2,
        documents: {
          [AGREEMENT]: {
            accepted: {
              version: agreement.versions[0]!.version,
              hash: agreement.versions[0]!.contentHash,
              time: Date.now(),
            },
          },
        },
      });
    old();
    const without = await updateElement(`subject="${subject}"`);
    await until(() => without.shadowRoot!.querySelector('dialog[open]'));
    without.remove();
    resetPage();
    old();
    const el = await updateElement(`subject="${subject}" subject-token="${await subjectToken(subject)}"`);
    expect(el.state).to.equal('ready');
    expect(has(el, 'dialog')).to.be.false;
  });
});
