// markdown-it-footnote ships no types; this is the one export footnotes.ts uses.
declare module 'markdown-it-footnote' {
  import type { PluginSimple } from 'markdown-it';

  const footnote: PluginSimple;
  export default footnote;
}
