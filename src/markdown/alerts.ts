/**
 * GitHub alerts, `> [!NOTE]`, `> [!IMPORTANT]`, `> [!WARNING]`, …: callouts, not a quote that
 * starts with literal `[!NOTE]`. markdown-it-github-alerts finds them; this wraps its renderer
 * so that the title is escaped (the plugin inserts a custom title, `> [!NOTE] <b>x</b>`, as raw
 * HTML) and translated through the render labels, and the callout is a labelled region.
 */
import type { Env, MarkdownIt } from 'markdown-it';
import githubAlerts from 'markdown-it-github-alerts';
import type { ClauseLabels } from './clause-rendering.ts';

interface AlertMeta {
  type: string;
  /** The editor's own title, or the plugin's default (the capitalised type). */
  title: string;
}

export function alerts(md: MarkdownIt): void {
  // Titles left empty here, so a custom one can be told from the default below.
  md.use(githubAlerts, { titles: new Proxy({}, { get: () => '' }), icons: {} });
  md.renderer.rules.alert_open = (tokens, idx, _options, env?: Env) => {
    const { type, title } = tokens[idx]!.meta as unknown as AlertMeta;
    const labels = (env as { labels?: ClauseLabels } | undefined)?.labels;
    const shown = title || labels?.alertTitle?.(type) || type.charAt(0).toUpperCase() + type.slice(1);
    const safeType = type.replace(/[^a-z0-9-]/g, '');
    return `<div class="alert alert-${safeType}" role="note"><p class="alert-title">${md.utils.escapeHtml(shown)}</p>\n`;
  };
}
