declare module 'markdown-it-cjk-breaks' {
  import type MarkdownIt from 'markdown-it';
  /** Drops the soft line break between two CJK characters, which would otherwise render as a space. */
  export default function cjkBreaks(md: MarkdownIt): void;
}
