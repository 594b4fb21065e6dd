/**
 * A style sheet from CSS text, for `static styles` (no interpolation: the text is static). A
 * module of its own so that the theme (styles.ts), which the operator console shares, brings
 * no element code with it.
 */
export const css = (text: TemplateStringsArray): CSSStyleSheet => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(text[0]!);
  return sheet;
};
