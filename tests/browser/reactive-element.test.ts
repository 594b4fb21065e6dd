/**
 * The elements' base class (components/shared/reactive-element.ts), on its own: attributes and
 * properties, reflection, batching, the update order, styles and properties set before upgrade,
 * as Lit's LitElement behaves for the same declarations.
 */
import { expect } from '@open-wc/testing';
import { html } from 'lit/html.js';
import { css, ReactiveElement, type PropertyValues } from '../../components/shared/reactive-element.ts';

let defined = 0;
/** A fresh tag for each test's class. */
const tag = () => `reactive-test-${++defined}`;

class Probe extends ReactiveElement {
  static override properties = {
    name: {},
    count: { type: Number },
    open: { type: Boolean, reflect: true },
    label: { attribute: 'aria-text' },
    mode: { reflect: true },
    secret: { state: true },
    level: { converter: (value: string | null) => (value === 'high' ? value : value !== null) },
  };
  static override styles = [
    css`
      :host {
        display: block;
        color: rgb(1, 2, 3);
      }
    `,
  ];
  declare name?: string;
  declare count?: number;
  declare open: boolean;
  declare label?: string;
  declare mode: string;
  declare secret?: string;
  declare level?: boolean | 'high';
  renders = 0;
  log: string[] = [];
  changes: PropertyValues[] = [];

  constructor() {
    super();
    this.open = false;
    this.mode = 'idle';
  }

  protected override willUpdate(changed: PropertyValues): void {
    this.log.push(`willUpdate open=${this.hasAttribute('open')}`);
    this.changes.push(new Map(changed));
  }

  protected override render(): unknown {
    this.renders++;
    return html`<p @click=${this.#clicked}>${this.name} ${this.count} ${this.secret}</p>`;
  }

  protected override updated(): void {
    this.log.push(`updated open=${this.hasAttribute('open')} text=${this.renderRoot.textContent!.trim()}`);
  }

  clicks: unknown[] = [];
  #clicked(): void {
    this.clicks.push(this);
  }
}

function make(markup = ''): Probe {
  const name = tag();
  customElements.define(name, class extends Probe {});
  const holder = document.createElement('div');
  holder.innerHTML = `<${name} ${markup}></${name}>`;
  document.body.append(holder);
  return holder.firstElementChild as Probe;
}

afterEach(() => document.body.replaceChildren());

describe('ReactiveElement', () => {
  it('reads attributes as typed properties: strings, numbers, booleans, converters, named attributes', async () => {
    const el = make('name="Ada" count="3" open aria-text="hi" secret="no" level');
    await el.updateComplete;
    expect([el.name, el.count, el.open, el.label, el.level]).to.deep.equal(['Ada', 3, true, 'hi', true]);
    el.setAttribute('level', 'high');
    expect(el.level, 'read by its converter').to.equal('high');
    // Internal state has no attribute.
    expect(el.secret).to.equal(undefined);
    el.removeAttribute('open');
    el.removeAttribute('name');
    expect([el.open, el.name]).to.deep.equal([false, null]);
  });

  it('renders once for several changes in one task, after the change, with the old values in `changed`', async () => {
    const el = make();
    await el.updateComplete;
    const before = el.renders;
    el.name = 'a';
    el.name = 'b';
    el.count = 2;
    expect(el.renders).to.equal(before);
    expect(await el.updateComplete).to.equal(true);
    expect(el.renders).to.equal(before + 1);
    expect(el.renderRoot.textContent!.trim()).to.equal('b 2');
    expect([...el.changes.at(-1)!]).to.deep.equal([
      ['name', undefined],
      ['count', undefined],
    ]);
    el.count = 2;
    await el.updateComplete;
    expect(el.renders, 'the same value again renders nothing').to.equal(before + 1);
  });

  it('reflects properties to attributes before `updated`, and does not read them back as a change', async () => {
    const el = make();
    await el.updateComplete;
    expect(el.getAttribute('mode')).to.equal('idle');
    expect(el.hasAttribute('open')).to.be.false;
    el.open = true;
    el.mode = 'busy';
    await el.updateComplete;
    expect(el.log.at(-2)).to.equal('willUpdate open=false');
    expect(el.log.at(-1)).to.match(/^updated open=true/);
    expect([el.hasAttribute('open'), el.getAttribute('mode')]).to.deep.equal([true, 'busy']);
    const renders = el.renders;
    await el.updateComplete;
    expect(el.renders).to.equal(renders);
    el.setAttribute('open', '');
    el.toggleAttribute('open', false);
    expect(el.open).to.be.false;
  });

  it('waits to be connected before the first update', async () => {
    const name = tag();
    customElements.define(name, class extends Probe {});
    const el = document.createElement(name) as Probe;
    el.name = 'early';
    await new Promise((r) => setTimeout(r));
    expect([el.renders, el.hasUpdated]).to.deep.equal([0, false]);
    document.body.append(el);
    await el.updateComplete;
    expect(el.hasUpdated).to.be.true;
    expect(el.renderRoot.textContent!.trim()).to.contain('early');
  });

  it('takes over properties set before its class was defined', async () => {
    const name = tag();
    const el = document.createElement(name) as Probe;
    (el as unknown as Record<string, unknown>).name = 'set early';
    (el as unknown as Record<string, unknown>).open = true;
    document.body.append(el);
    customElements.define(name, class extends Probe {});
    await el.updateComplete;
    expect(Object.hasOwn(el, 'name')).to.be.false;
    expect([el.name, el.open, el.hasAttribute('open')]).to.deep.equal(['set early', true, true]);
    expect(el.renderRoot.textContent!.trim()).to.contain('set early');
  });

  it('adopts its style sheets in an open shadow root and binds event listeners to the element', async () => {
    const el = make();
    await el.updateComplete;
    expect(el.shadowRoot).to.equal(el.renderRoot);
    expect(getComputedStyle(el).color).to.equal('rgb(1, 2, 3)');
    expect(document.head.querySelector('style')).to.equal(null);
    el.renderRoot.querySelector('p')!.click();
    expect(el.clicks).to.deep.equal([el]);
  });
});
