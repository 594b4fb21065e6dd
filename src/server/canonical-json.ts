/**
 * Canonical JSON (RFC 8785, "JCS") for the values records hold: objects with keys sorted by
 * UTF-16 code units, no white space, strings escaped as JSON.stringify does, integers only.
 * The same record always gives the same bytes, so its hash can be recomputed by anyone with
 * any JCS implementation. https://www.rfc-editor.org/rfc/rfc8785
 *
 *   canonicalJson({ b: 1, a: [true, null, 'x'] }) → '{"a":[true,null,"x"],"b":1}'
 *
 * Written with plain loops and a cache of quoted keys: it runs twice for every record stored.
 */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue | undefined };

const quotedKeys = new Map<string, string>();

function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = `${JSON.stringify(key)}:`;
    // Keys come from our own schemas (and validated category ids); the bound is a safeguard.
    if (quotedKeys.size < 1000) quotedKeys.set(key, quoted);
  }
  return quoted;
}

export function canonicalJson(value: JsonValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // Records carry sequence numbers and nothing fractional; JCS number formatting for
      // non-integers is out of scope, so refuse them rather than hash something ambiguous.
      if (!Number.isSafeInteger(value))
        throw new TypeError(`canonical JSON here takes integers only, got ${value}`);
      return String(value);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJson(value[i]!);
    return `${out}]`;
  }
  const keys = Object.keys(value).sort();
  let out = '{';
  for (const key of keys) {
    const member = value[key];
    if (member === undefined) continue;
    out += (out.length > 1 ? ',' : '') + quotedKey(key) + canonicalJson(member);
  }
  return `${out}}`;
}
