/**
 * The bold passages of one block, read the one way that the digest of key clauses, the diff
 * and lint share: plain text as a reader sees it (soft breaks as a space, except the ones between
 * Chinese characters, which the CJK line-break rule joins), the
 * body line each starts on, and whether it is only a label.
 *
 * A label is bold used as a run-in heading or to mark a defined term, not as a warning: short,
 * at the very start of its clause (after the clause number, if any), and ending in a colon or a
 * full stop or followed by one; a quoted term; a whole block in bold that is not a sentence (a
 * heading made of bold); or a bare clause number:
 *
 *   1.1 **身份识别**：为了…           → label
 *   **生效日期：** 2020年12月1日       → label
 *   **Right to Know.** You may…      → label
 *   **“Affiliate”** means…           → label
 *   **A1-2. Definitions**            → label
 *   **2.1**	License grant …          → label
 *   我们**不会**向第三方…             → key passage
 *   **本协议含免责条款，请仔细阅读。**   → key passage
 *
 *   boldPassages(inline) → [{ text: '身份识别', line: 12, label: true }]
 */
import type { Token } from 'markdown-it';
import { isJoinedBreak } from './cjk-line-breaks.ts';
import { parseClauseMarker } from './clause-markers.ts';

export interface BoldPassage {
  text: string;
  /** 0-based line in the Markdown body where the passage starts. */
  line: number;
  /** A run-in label (`**定义**：`) rather than a passage the reader must notice. */
  label: boolean;
}

/** Longest text, in characters, that still reads as a label rather than a sentence. */
const LABEL_MAX_LENGTH = 24;
/** Longest bold-only block that reads as a heading made of bold (`**A1-2. Definitions**`). */
const HEADING_MAX_LENGTH = 60;
/** What ends a run-in label: a colon, or in English a full stop (`**Enforcement.** We…`). */
const COLON = /[:：.]$/;
const STARTS_WITH_COLON = /^\s*[:：.]/;
/** A term in quotes, as definitions mark them: `“Affiliate”`, `「设备日志」`. */
const QUOTED = /^(?:“[^“”]+”|"[^"]+"|「[^「」]+」|『[^『』]+』|‘[^‘’]+’|《[^《》]+》)$/;
const ENDS_SENTENCE = /[。！？；.!?;]$/;

export function boldPassages(inline: Token): BoldPassage[] {
  const passages: BoldPassage[] = [];
  const children = inline.children ?? [];
  const firstLine = inline.map?.[0] ?? 0;
  let lineOffset = 0;
  let depth = 0;
  let text = '';
  let startLine = 0;
  /** Plain text since the start of the line: empty or a bare clause number means "at the start". */
  let before = '';
  /** Whether a bold run already stood on this line (a second one is not at the line's start). */
  let sawBold = false;
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    const isBreak = child.type === 'softbreak' || child.type === 'hardbreak';
    if (child.type === 'strong_open') {
      if (depth++ === 0) {
        text = '';
        startLine = lineOffset;
      }
    } else if (child.type === 'strong_close') {
      if (--depth === 0) {
        const trimmed = text.replace(/\s+/g, ' ').trim();
        if (trimmed) {
          const atStart = !sawBold && isClauseStart(before);
          const label = isLabel(trimmed, {
            atStart,
            after: followingText(children, i + 1),
            wholeBlock: atStart && isEmptyAfter(children, i + 1),
            // Latin only: Chinese has no spaces, so bold inside a Chinese sentence is still a phrase.
            inWord:
              /\p{Script=Latin}$/u.test(before) || /^\p{Script=Latin}/u.test(followingText(children, i + 1)),
          });
          passages.push({ text: trimmed, line: firstLine + startLine, label });
        }
        sawBold = true;
      }
    } else if (depth > 0) {
      if (child.type === 'text' || child.type === 'code_inline') text += child.content;
      else if ((isBreak && !isJoinedBreak(child)) || child.type === 'br_tag') text += ' ';
    } else if (isBreak && !isJoinedBreak(child)) {
      // A new line starts over: `**生效日期：…**` after a line break is at its line's start.
      before = '';
      sawBold = false;
    } else if (child.type === 'text' || child.type === 'code_inline') {
      before += child.content;
    }
    if (isBreak) lineOffset++;
  }
  return passages;
}

/** Shortest run-in title that a full stop can end in Chinese: `**付款。**`, `**终止**。`. */
const CJK_TITLE_MAX_LENGTH = 8;
/** `**生效日期：2021年6月1日**`: a field and its value, as metadata lines are written. */
const FIELD_AND_VALUE = /^[^：:。，,;；]{1,12}[：:]\s*\S/;

function isLabel(
  text: string,
  at: { atStart: boolean; after: string; wholeBlock: boolean; inWord: boolean },
): boolean {
  if (isClauseStart(text)) return true;
  // Bold inside a word (`your **G**lobally **R**ecognized Avatar`) is typography, not a clause.
  if (at.inWord && [...text].length <= 2) return true;
  if (QUOTED.test(text) && [...text].length <= 2 * LABEL_MAX_LENGTH) return true;
  if (!at.atStart) return false;
  // A title that starts with its own clause number: `**11. Representations.**` reads as `Representations.`
  const marker = parseClauseMarker(text);
  const title = marker ? text.slice(marker.text.length).trim() : text;
  if (isShort(title) && (COLON.test(title) || STARTS_WITH_COLON.test(at.after))) return true;
  if (
    [...title].length <= CJK_TITLE_MAX_LENGTH &&
    /\p{Script=Han}/u.test(title) &&
    (/。$/.test(title) || /^\s*。/.test(at.after))
  )
    return true;
  if (FIELD_AND_VALUE.test(title) && [...title].length <= HEADING_MAX_LENGTH) return true;
  return at.wholeBlock && [...text].length <= HEADING_MAX_LENGTH && !ENDS_SENTENCE.test(text);
}

/** Short enough to be a label: a few Chinese characters, or a few English words. */
function isShort(text: string): boolean {
  const length = [...text].length;
  return length <= LABEL_MAX_LENGTH || (length <= 2 * LABEL_MAX_LENGTH && text.split(/\s+/).length <= 6);
}

/** Whether `text` (what comes before a bold run) is nothing, or only a clause number. */
function isClauseStart(text: string): boolean {
  const rest = text.trim();
  if (!rest) return true;
  const marker = parseClauseMarker(rest);
  return marker !== undefined && rest.slice(marker.text.length).trim() === '';
}

/** Whether nothing but white space follows `children[from - 1]` in the block. */
function isEmptyAfter(children: Token[], from: number): boolean {
  return children
    .slice(from)
    .every((c) =>
      c.type === 'text'
        ? !c.content.trim()
        : c.type !== 'code_inline' && c.type !== 'image' && c.type !== 'link_open',
    );
}

/** The text right after a bold run, up to the next break or markup. */
function followingText(children: Token[], from: number): string {
  let text = '';
  for (let i = from; i < children.length; i++) {
    const child = children[i]!;
    if (child.type !== 'text') break;
    text += child.content;
    if (text.trim()) break;
  }
  return text;
}
