/**
 * Where the legal documents are read from: `content/` in the project, or the folder named by
 * `ASSENT_CONTENT_DIR` (a copy to preview an edit, or a test's own content).
 */
export const contentDir = process.env.ASSENT_CONTENT_DIR || 'content';
