/**
 * The content folder every command reads by default: `ASSENT_CONTENT_DIR` when set (a copy to
 * preview an edit, a test's own content), else `content`. A command's `--content` wins over both.
 */
export function defaultContentFolder(env: NodeJS.ProcessEnv = process.env): string {
  return env.ASSENT_CONTENT_DIR || 'content';
}
