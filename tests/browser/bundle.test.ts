import { expect } from '@open-wc/testing';
import { endpointUrl, resetPage, until } from './helpers.ts';

describe('the published bundle (/assent/assent.js from the site build)', () => {
  beforeEach(resetPage);

  it('defines all three elements, exports Assent.configure, and adds no other global', async () => {
    const before = new Set(Object.getOwnPropertyNames(window));
    const bundle = await import(/* @vite-ignore */ new URL('/site/assent/assent.js', location.href).href);
    const added = Object.getOwnPropertyNames(window).filter((name) => !before.has(name));
    // Lit records its version on globalThis: litHtmlVersions, reactiveElementVersions, litElementVersions.
    expect(added.filter((name) => !/^lit|^reactiveElement/.test(name))).to.deep.equal([]);
    for (const tag of ['assent-accept', 'assent-cookies', 'assent-update'])
      expect(customElements.get(tag), tag).to.exist;
    expect(bundle.Assent.configure).to.be.a('function');
  });

  it('reads its manifest beside the script by default and the endpoint from Assent.configure', async () => {
    const bundle = await import(/* @vite-ignore */ new URL('/site/assent/assent.js', location.href).href);
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
    await import(/* @vite-ignore */ new URL('/site/assent/assent.js', location.href).href);
    const meta = document.createElement('meta');
    meta.name = 'assent-config';
    meta.content = JSON.stringify({ manifest: '/site/assent/manifest.json', endpoint: 'http://127.0.0.1:1' });
    document.head.append(meta);
    document.body.innerHTML = '<assent-cookies locale="en"></assent-cookies>';
    const el = document.querySelector('assent-cookies')!;
    await until(() => el.shadowRoot?.querySelector('[part~=banner]'));
  });
});
