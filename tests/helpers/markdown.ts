import { parseHTML } from 'linkedom';
import {
  createLegalMarkdown,
  parseLegal,
  renderLegal,
  type ParsedLegal,
} from '../../src/markdown/pipeline.ts';

const md = createLegalMarkdown();

export const labels = { linkToClause: (n: string) => `Link to “${n}”` };

export function parse(source: string): ParsedLegal {
  return parseLegal(md, source);
}

export function render(source: string): string {
  return renderLegal(md, parse(source), labels);
}

/** The rendered Markdown as a DOM fragment to query. */
export function renderDom(source: string): DocumentFragment & {
  querySelector: Document['querySelector'];
  querySelectorAll: Document['querySelectorAll'];
} {
  const { document } = parseHTML(`<!doctype html><html><body>${render(source)}</body></html>`);
  return document.body as never;
}
