/**
 * Which characters of a block's text are bold. A `ClauseBlock` lists its bold passages as
 * strings (spaces collapsed, trimmed), not as offsets, so each passage is found in the text in
 * order, after the one before it. A passage that cannot be found (bold around an image, whose
 * alt text the passage leaves out) marks nothing rather than the wrong words.
 *
 *   boldMask('我们**不会**出售', ['不会'])  → 0 0 1 1 0 0   (for the text 我们不会出售)
 */
export function boldMask(text: string, strong: readonly string[]): Uint8Array {
  const mask = new Uint8Array(text.length);
  if (strong.length === 0) return mask;
  // The text with each run of spaces as one space, and where each of its characters came from.
  let squeezed = '';
  const origin: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (/\s/.test(text[i]!)) {
      if (squeezed.endsWith(' ')) continue;
      squeezed += ' ';
    } else {
      squeezed += text[i];
    }
    origin.push(i);
  }
  let from = 0;
  for (const passage of strong) {
    const needle = passage.replace(/\s+/g, ' ').trim();
    if (!needle) continue;
    const at = squeezed.indexOf(needle, from);
    if (at < 0) continue;
    const start = origin[at]!;
    const end = origin[at + needle.length - 1]!;
    mask.fill(1, start, end + 1);
    from = at + needle.length;
  }
  return mask;
}
