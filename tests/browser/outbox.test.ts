import { expect } from '@open-wc/testing';
import '../../components/accept/define.ts';
import type { AssentAccept } from '../../components/accept/accept.ts';
import type { AssentAcceptedEvent, AssentErrorEvent } from '../../components/shared/events.ts';
import {
  endpointUrl,
  loaded,
  MANIFEST,
  nextEvent,
  part,
  resetPage,
  startEndpoint,
  stopEndpoint,
  storedRecord,
  until,
} from './helpers.ts';

let endpoint: string;

const outbox = () =>
  (
    JSON.parse(localStorage.getItem('assent_outbox') ?? '{"entries":[]}') as {
      entries: { record: { id: string }; attempts: number }[];
    }
  ).entries;

/** A partner page in a frame, so that it can be reloaded and left like a real one. */
async function partnerPage(shows = '[part~=accept]:enabled'): Promise<HTMLIFrameElement> {
  const frame = document.createElement('iframe');
  frame.src = `/tests/browser/fixtures/accept.html?endpoint=${encodeURIComponent(endpoint)}&manifest=${MANIFEST}`;
  document.body.append(frame);
  await until(() => frame.contentDocument?.querySelector('assent-accept')?.shadowRoot?.querySelector(shows));
  return frame;
}

const frameAccept = (frame: HTMLIFrameElement) =>
  frame.contentDocument!.querySelector('assent-accept') as AssentAccept;

describe('the record outbox', () => {
  before(async () => {
    endpoint = await endpointUrl();
  });
  beforeEach(() => {
    resetPage();
    document.body.replaceChildren();
  });
  afterEach(async () => {
    await startEndpoint();
  });

  it('keeps a record while the endpoint is down, says it is not saved, and delivers it when the endpoint is back', async () => {
    await stopEndpoint();
    const host = document.createElement('div');
    host.innerHTML = `<assent-accept document="weisure-service-agreement" control="button" locale="en" endpoint="${endpoint}" manifest="${MANIFEST}"></assent-accept>`;
    document.body.append(host);
    const el = host.firstElementChild as AssentAccept;
    await loaded(el, '[part~=accept]');
    const accepted = nextEvent<AssentAcceptedEvent>(el, 'assent-accepted');
    const failed = nextEvent<AssentErrorEvent>(el, 'assent-error');
    part(el, '[part~=accept]').click();
    const { record } = (await accepted).detail;
    await el.updateComplete;
    expect(part(el, '[part~=status]').textContent!.trim()).to.equal('Saving…');
    const error = (await failed).detail;
    expect(error).to.include({ record, status: 0, retrying: true });
    await el.updateComplete;
    expect(part(el, '[part~=status]').textContent!.trim()).to.equal('Not saved yet. Retrying…');
    expect(outbox().map((e) => e.record.id)).to.deep.equal([record]);

    const recorded = nextEvent(el, 'assent-recorded', 20_000);
    await startEndpoint();
    await recorded;
    await el.updateComplete;
    expect(part(el, '[part~=status]').textContent!.trim()).to.equal('Saved.');
    expect((await storedRecord(record)).type).to.equal('accepted');
    expect(outbox()).to.deep.equal([]);
  });

  it('names the endpoint origin and the page CSP connect-src when the endpoint cannot be reached, and stays ready', async () => {
    await stopEndpoint();
    const host = document.createElement('div');
    host.innerHTML = `<assent-accept document="weisure-service-agreement" control="button" locale="en" endpoint="${endpoint}" manifest="${MANIFEST}"></assent-accept>`;
    document.body.append(host);
    const el = host.firstElementChild as AssentAccept;
    await loaded(el, '[part~=accept]');
    const failed = nextEvent<AssentErrorEvent>(el, 'assent-error');
    part(el, '[part~=accept]').click();
    const { message } = (await failed).detail;
    expect(message).to.equal(
      `${new URL(endpoint).origin} could not be reached: it may be down, or blocked by the page's Content-Security-Policy (connect-src)`,
    );
    expect(el.error?.message).to.equal(message);
    expect(el.state).to.equal('ready');
  });

  it('keeps the record across a reload of the page and delivers it from the next page', async () => {
    await stopEndpoint();
    const frame = await partnerPage();
    const accepted = nextEvent<AssentAcceptedEvent>(frameAccept(frame), 'assent-accepted');
    part(frameAccept(frame), '[part~=accept]').click();
    const { record } = (await accepted).detail;
    await until(() => outbox().some((e) => e.record.id === record && e.attempts > 0));
    frame.contentWindow!.location.reload();
    await until(() => frame.contentDocument?.readyState === 'complete' && frameAccept(frame)?.shadowRoot);
    expect(outbox().map((e) => e.record.id)).to.include(record);
    await startEndpoint();
    expect((await storedRecord(record, 20_000)).type).to.equal('accepted');
    await until(() => outbox().length === 0);
  });

  it("reads an outbox of the first format, delivers what it holds and keeps it in today's", async () => {
    await stopEndpoint();
    const frame = await partnerPage();
    const accepted = nextEvent<AssentAcceptedEvent>(frameAccept(frame), 'assent-accepted');
    part(frameAccept(frame), '[part~=accept]').click();
    const { record } = (await accepted).detail;
    await until(() => outbox().some((e) => e.record.id === record && e.attempts > 0));
    frame.src = 'about:blank';
    await until(() => frame.contentDocument?.URL === 'about:blank');
    // What an earlier version of Assent left: a bare array of {e, r, n, at}.
    const [entry] = outbox() as unknown as { endpoint: string; record: object; attempts: number }[];
    localStorage.setItem(
      'assent_outbox',
      JSON.stringify([{ e: entry!.endpoint, r: entry!.record, n: entry!.attempts, at: 0 }]),
    );
    // The acceptance is remembered: the next page says so.
    const next = await partnerPage('[part~=notice]');
    await until(() => !Array.isArray(JSON.parse(localStorage.getItem('assent_outbox')!)));
    expect(JSON.parse(localStorage.getItem('assent_outbox')!).format).to.equal(2);
    expect(outbox().map((e) => e.record.id)).to.deep.equal([record]);
    await startEndpoint();
    expect((await storedRecord(record, 20_000)).type).to.equal('accepted');
    await until(() => outbox().length === 0);
    next.remove();
  });

  it('hands what is still queued to sendBeacon when the page is left', async () => {
    const frame = await partnerPage();
    const win = frame.contentWindow as Window & typeof globalThis;
    // The network fails for fetch only, so the beacon is the one way out.
    win.fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    const beacons: string[] = [];
    const send = win.navigator.sendBeacon.bind(win.navigator);
    win.navigator.sendBeacon = (url: string | URL, body?: BodyInit | null) => {
      beacons.push(`${url} ${body}`);
      return send(url, body);
    };
    const accepted = nextEvent<AssentAcceptedEvent>(frameAccept(frame), 'assent-accepted');
    part(frameAccept(frame), '[part~=accept]').click();
    const { record } = (await accepted).detail;
    await until(() => outbox().some((e) => e.record.id === record && e.attempts > 0));
    frame.src = 'about:blank';
    await until(() => beacons.length);
    expect(beacons[0]).to.match(new RegExp(`^${endpoint}/v1/records \\[.*"id":"${record}"`));
    expect((await storedRecord(record)).type).to.equal('accepted');
  });
});
