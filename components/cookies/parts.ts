/**
 * The parts of `<assent-cookies>` loaded on demand (gate.ts, preferences.ts), as the element
 * sees them. The element's class sits in the shared chunk with Lit (components/shared/index.ts);
 * define.ts names the modules it loads, so that the class imports no chunk that imports the
 * shared chunk back.
 */
import type { TemplateResult } from 'lit/html.js';
import type { CookieConfig } from '../../src/contract/manifest.ts';
import type { Granted } from '../shared/consent.ts';
import type { SaveStatus } from '../shared/element.ts';
import type { ErrorDetail } from '../shared/events.ts';
import type { UiLocale } from '../shared/i18n.ts';

/** What a placeholder says and does, from `<assent-cookies>`. */
export interface PlaceholderContext {
  ui: UiLocale;
  config: CookieConfig;
  /** "Always allow": grant these categories, keeping the rest of the choice. */
  allow(event: Event, ids: string[]): void;
}

/** The gate for scripts and frames (gate.ts). */
export interface GateControl {
  /** Lets in what `granted` allows; `chosen`: the user has chosen (Consent Mode gets an update). */
  apply(granted: Granted, chosen: boolean): void;
  /** Re-renders the placeholders (the language or the labels changed). */
  refresh(): void;
  stop(): void;
}

/** What the preferences dialog shows and what its controls call, from the element. */
export interface Preferences {
  ui: UiLocale;
  config: CookieConfig;
  draft: Granted;
  /** The GPC sentence and the Accept all / Reject all buttons, shared with the banner. */
  gpcLine: unknown;
  all: unknown;
  /** The save status of the last choice, and why it failed. */
  status?: SaveStatus;
  error?: ErrorDetail;
  toggle(id: string, on: boolean): void;
  save(event: Event): void;
  /** The Close button, and the dialog closed (Escape). */
  close(): void;
}

/** How `<assent-cookies>` loads its parts: set by define.ts. */
export interface CookieParts {
  gate(): Promise<{ Gate: new (context: () => PlaceholderContext) => GateControl }>;
  preferences(): Promise<{
    preferences(p: Preferences): TemplateResult;
    preferencesStyles: CSSStyleSheet;
  }>;
}
