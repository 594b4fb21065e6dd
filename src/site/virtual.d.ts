/** What integrations/site-data.ts passes to the site's code. */
declare module 'virtual:assent/site-data' {
  /** Where the legal documents are read from. */
  export const contentDir: string;
  /** The day the site is built for, YYYY-MM-DD. */
  export const buildDate: string;
}
