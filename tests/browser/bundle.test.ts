import { expect } from '@open-wc/testing';
import { endpointUrl, resetPage, until } from './helpers.ts';

const ASSENT = new URL('/site/assent/assent.js', location.href).href;

/** A page in a frame of its own (its own module map, globals and elements), with this body. */
async function framePage(body: string): Promise<Window & typeof globalThis> {
  const frame = document.createElement('iframe');
  frame.srcdoc = `<!doctype html><html lang="en"><body>${body}</body></html>`;
  document.body.append(frame);
  await until(() => frame.contentDocument?.readyState === 'complete');
  return frame.contentWindow as Window & typeof globalThis;
}

const chunksLoaded = (win: Window) =>
  win.performance
    .getEntriesByType('resource')
    .map((e) => new URL(e.name).pathname)
    .filter((path) => path.startsWith('/site/assent/') && path.endsWith('.js'));

describe('the published bundle (/assent/ from the site build)', () => {
  beforeEach(() => {
    resetPage();
    document.body.replaceChildren();
  });

  it('defines only the elements the page uses, then those added later, and adds no other global', async () => {
    const win = await framePage(
      `<assent-cookies manifest="/site/assent/manifest.json"></assent-cookies>
       <script type="module">window.before = Object.getOwnPropertyNames(window);</script>
       <script type="module" src="${ASSENT}"></script>`,
    );
    await until(() => win.customElements.get('assent-cookies'));
    expect(win.customElements.get('assent-accept')).to.equal(undefined);
    expect(chunksLoaded(win).some((path) => path.endsWith('/assent-accept.js'))).to.be.false;
    // A single-page app renders a form later.
    win.document.body.insertAdjacentHTML(
      'beforeend',
      '<main><assent-accept document="x"></assent-accept></main>',
    );
    await until(() => win.customElements.get('assent-accept'));
    const before = new Set((win as unknown as { before: string[] }).before);
    const added = Object.getOwnPropertyNames(win).filter((name) => !before.has(name));
    // lit-html records its version on globalThis: litHtmlVersions.
    expect(added.filter((name) => name !== 'before' && name !== 'litHtmlVersions')).to.deep.equal([]);
  });

  it('loads Lit once when a page loads two element modules', async () => {
    const win = await framePage(
      `<assent-accept document="weisure-service-agreement"></assent-accept><assent-cookies></assent-cookies>
       <script type="module" src="/site/assent/assent-accept.js"></script>
       <script type="module" src="/site/assent/assent-cookies.js"></script>`,
    );
    await until(() => win.customElements.get('assent-accept') && win.customElements.get('assent-cookies'));
    expect((win as unknown as { litHtmlVersions: string[] }).litHtmlVersions).to.have.length(1);
    const shared = chunksLoaded(win).filter((path) => /\/chunk-\w+\.js$/.test(path));
    expect(new Set(shared).size).to.equal(shared.length);
  });

  it('loads the preferences dialog only when it is opened', async () => {
    const win = await framePage(
      `<assent-cookies manifest="/site/assent/manifest.json" locale="en"></assent-cookies>
       <script type="module" src="${ASSENT}"></script>`,
    );
    const el = await until(() => {
      const found = win.document.querySelector('assent-cookies');
      return found?.shadowRoot?.querySelector('[part~=banner]') && found;
    });
    const names = () => chunksLoaded(win).map((path) => path.split('/').pop()!);
    expect(names().filter((n) => n.startsWith('preferences-'))).to.deep.equal([]);
    await (el as unknown as { show(): Promise<void> }).show();
    expect(names().filter((n) => n.startsWith('preferences-'))).to.have.length(1);
  });

  it('reads its manifest beside the script by default and the endpoint from Assent.configure', async () => {
    const bundle = await import(/* @vite-ignore */ ASSENT);
    bundle.Assent.configure({ endpoint: await endpointUrl() });
    document.body.innerHTML =
      '<assent-accept document="weisure-service-agreement" locale="en"></assent-accept>';
    const el = document.querySelector('assent-accept')!;
    const link = await until(() =>
      el.shadowRoot?.querySelector<HTMLAnchorElement>('[part~=link][href*="/site/"]'),
    );
    expect(link.textContent).to.equal('微保服务协议');
  });

  it('takes page-wide settings from <meta name="assent-config">', async () => {
    await import(/* @vite-ignore */ ASSENT);
    const meta = document.createElement('meta');
    meta.name = 'assent-config';
    meta.content = JSON.stringify({ manifest: '/site/assent/manifest.json', endpoint: 'http://127.0.0.1:1' });
    document.head.append(meta);
    document.body.innerHTML = '<assent-cookies locale="en"></assent-cookies>';
    const el = document.querySelector('assent-cookies')!;
    await until(() => el.shadowRoot?.querySelector('[part~=banner]'));
  });
});
