/**
 * Text that may be shown or logged with the secrets in it masked: a database URL's password
 * (`postgres://user:***@host/db`, and a `password=` parameter), wherever it appears in a
 * message. Library errors and our own both pass through here before they reach a person.
 *
 *   maskCredentials('cannot reach postgres://app:s3cret@db/assent') // 'cannot reach postgres://app:***@db/assent'
 */
export function maskCredentials(text: string): string {
  return text
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):[^@/\s]*@/gi, '$1:***@')
    .replace(/([?&;\s]password=)[^&\s]*/gi, '$1***');
}

/**
 * A database URL with its password masked, even when it is malformed (a refused setting is
 * shown back to the operator): whatever lies between the user name and the last `@` goes.
 *
 *   maskUrl('postgresql//app:hunter2@db/assent') // 'postgresql//app:***@db/assent'
 */
export function maskUrl(url: string): string {
  const at = url.lastIndexOf('@');
  if (at < 0) return maskCredentials(url);
  const slashes = url.indexOf('//');
  const start = slashes >= 0 && slashes < at ? slashes + 2 : 0;
  const colon = url.indexOf(':', start);
  if (colon < 0 || colon > at) return maskCredentials(url);
  return maskCredentials(`${url.slice(0, colon + 1)}***${url.slice(at)}`);
}
