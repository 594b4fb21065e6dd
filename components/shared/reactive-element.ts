/**
 * The elements' base class: reactive properties over lit-html, as Lit's `LitElement` does it,
 * cut to what the three elements use. Lit's own base (`@lit/reactive-element`, `lit-element`)
 * took 2.9 KB gzip of the banner's 10 KB budget for controllers, decorators, converters,
 * `hasChanged`, style fallbacks and development warnings that Assent does not use; lit-html
 * (Lit's template engine) still renders every template.
 *
 * Same contract as Lit for what the elements and their users touch:
 * - `static properties`: `attribute` (a name, or false), `type` (`Boolean`, `Number`, else a
 *   string) or `converter` (a function of the attribute's value), `reflect`, `state` (internal:
 *   no attribute). The attribute is the lowercased
 *   property name unless named. A property set on the element before its module loaded (a
 *   framework rendering early) is taken over when it connects.
 * - Updates are batched in a microtask and start once the element is connected:
 *   `willUpdate(changed)` → `render()` → reflected attributes → lit-html renders into the
 *   shadow root (events bound to the element) → `updated(changed)`; `changed` maps each changed
 *   property to its previous value. `updateComplete` settles after the pending update;
 *   `hasUpdated` says whether the first one has rendered.
 * - `static styles`: constructed style sheets (`css`), adopted by the shadow root: no `<style>`
 *   element, so no `'unsafe-inline'` under a strict CSP. `static shadowRootOptions`.
 *
 *   class Hello extends ReactiveElement {
 *     static properties = { name: {}, open: { type: Boolean, reflect: true } };
 *     declare name?: string;
 *     render() { return html`Hello ${this.name}`; }
 *   }
 */
import { render as renderTemplate } from 'lit/html.js';

export interface PropertyOptions {
  /** The attribute's name (default: the property's, lowercased), or false for none. */
  attribute?: string | false;
  /** How the attribute reads: `Boolean` (present or not), `Number`; default a string. */
  type?: typeof Boolean | typeof Number;
  /** Reads the attribute instead of `type` (Lit's `converter` as a function: `fromAttribute`). */
  converter?: (value: string | null, type?: unknown) => unknown;
  /** Also write the property to its attribute after each change. */
  reflect?: boolean;
  /** Internal state: re-renders, but has no attribute. */
  state?: boolean;
}

/** Each changed property and the value it had before. */
export type PropertyValues = Map<PropertyKey, unknown>;

export { css } from './css.ts';

/** An element's properties by name. */
const fields = (element: HTMLElement) => element as unknown as Record<string, unknown>;

/** A property's attribute: its own name, or the property's lowercased; none for state. */
const attributeOf = (name: string, options: PropertyOptions): string | false =>
  !options.state && (options.attribute ?? name.toLowerCase());

export abstract class ReactiveElement extends HTMLElement {
  static properties: Record<string, PropertyOptions> = {};
  static styles: CSSStyleSheet[] = [];
  static shadowRootOptions: ShadowRootInit = { mode: 'open' };

  /**
   * Read by `customElements.define()`: makes an accessor for every property on the class's
   * prototype, and names the attributes to observe.
   */
  static get observedAttributes(): string[] {
    const attributes: string[] = [];
    for (const [name, options] of Object.entries(this.properties)) {
      Object.defineProperty(this.prototype, name, {
        get(this: ReactiveElement) {
          return this.#values.get(name);
        },
        set(this: ReactiveElement, value: unknown) {
          this.#set(name, value);
        },
        configurable: true,
      });
      const attribute = attributeOf(name, options);
      if (attribute) attributes.push(attribute);
    }
    return attributes;
  }

  declare renderRoot: ShadowRoot;
  /** Whether the element has rendered once (true from the first `updated` on). */
  hasUpdated = false;
  #values = new Map<string, unknown>();
  #changed: PropertyValues = new Map();
  #reflect = new Set<string>();
  /** The property being read from or written to its attribute: no echo back. */
  #reflecting?: string;
  #pending = false;
  #connect!: (value: boolean) => void;
  /** The first update waits for the element to be connected. */
  #updating: Promise<boolean> = new Promise((resolve) => (this.#connect = resolve));
  /** Properties set on the element before it was upgraded, taken over on connection. */
  #early?: [string, unknown][];

  constructor() {
    super();
    const self = fields(this);
    this.#early = Object.keys(this.#options)
      .filter((name) => Object.hasOwn(this, name))
      .map((name) => [name, self[name]]);
    for (const [name] of this.#early) delete self[name];
    this.requestUpdate();
  }

  get #options(): Record<string, PropertyOptions> {
    return (this.constructor as typeof ReactiveElement).properties;
  }

  connectedCallback(): void {
    for (const [name, value] of this.#early ?? []) fields(this)[name] = value;
    this.#early = undefined;
    const ctor = this.constructor as typeof ReactiveElement;
    if (!this.renderRoot) {
      this.renderRoot = this.shadowRoot ?? this.attachShadow(ctor.shadowRootOptions);
      this.renderRoot.adoptedStyleSheets = ctor.styles;
    }
    this.#connect(true);
  }

  disconnectedCallback(): void {}

  attributeChangedCallback(attribute: string, _old: string | null, value: string | null): void {
    const [name, { type, converter }] = Object.entries(this.#options).find(
      ([name, options]) => attributeOf(name, options) === attribute,
    )!;
    if (this.#reflecting === name) return;
    this.#reflecting = name;
    fields(this)[name] = converter
      ? converter(value, type)
      : type === Boolean
        ? value !== null
        : type === Number && value !== null
          ? Number(value)
          : value;
    this.#reflecting = undefined;
  }

  #set(name: string, value: unknown): void {
    const old = this.#values.get(name);
    // Changed unless the same, or NaN again.
    if (old === value || (old !== old && value !== value)) return;
    this.#values.set(name, value);
    if (!this.#changed.has(name)) this.#changed.set(name, old);
    if (this.#options[name]!.reflect && this.#reflecting !== name) this.#reflect.add(name);
    this.requestUpdate();
  }

  /** Schedules an update (once, however many properties change before it runs). */
  requestUpdate(): void {
    if (this.#pending) return;
    this.#pending = true;
    // Reads the update in flight before it is replaced: updates run one after another.
    this.#updating = this.#enqueue(this.#updating);
  }

  async #enqueue(previous: Promise<boolean>): Promise<boolean> {
    // One await, no more: a page (or a test) that awaits something resolved in the same task
    // as the change sees the element rendered, as with Lit.
    try {
      await previous;
    } catch {
      // The previous update threw; this one runs anyway.
    }
    this.#update();
    return !this.#pending;
  }

  /** Settles once the pending update has rendered; true when no other update was requested since. */
  get updateComplete(): Promise<boolean> {
    return this.#updating;
  }

  #update(): void {
    const changed = this.#changed;
    let value: unknown;
    try {
      this.willUpdate(changed);
      value = this.render();
      for (const name of this.#reflect) {
        const options = this.#options[name]!;
        const attribute = attributeOf(name, options) as string;
        const type = options.type;
        const v = fields(this)[name];
        const text = type === Boolean ? (v ? '' : null) : (v as string | null);
        this.#reflecting = name;
        if (text == null) this.removeAttribute(attribute);
        else this.setAttribute(attribute, text);
        this.#reflecting = undefined;
      }
    } finally {
      this.#changed = new Map();
      this.#reflect = new Set();
      this.#pending = false;
    }
    renderTemplate(value, this.renderRoot, { host: this });
    this.hasUpdated = true;
    this.updated(changed);
  }

  /** Before rendering: derive state from what changed (setting properties here re-renders nothing extra). */
  protected willUpdate(_changed: PropertyValues): void {}

  /** The element's template (lit-html). */
  protected render(): unknown {
    return undefined;
  }

  /** After rendering: work with the rendered DOM. */
  protected updated(_changed: PropertyValues): void {}
}
