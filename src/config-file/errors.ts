/**
 * Zod's issues with a JSON configuration file (content/site.json, content/cookies.json, the
 * endpoint's --config file) as the project words every error: the file, the line and column of
 * the key at fault, the field, what was received and what was expected, as front matter
 * errors are worded.
 *
 *   const result = schema.safeParse(JSON.parse(text));
 *   if (!result.success) throw new Error(jsonFileErrors(file, text, result.error.issues, { schema }));
 *   // content/site.json:3:5: field `locale`: received 42, expected text
 *
 * Pure: no I/O, no Node; the endpoint (src/server) and the content readers (src/content) share it.
 */
import type * as z from 'zod';

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

export interface IssueOptions {
  /** What the file's keys are called: `field` (default) or `setting`. */
  noun?: string;
  /** The schema checked, to list the known names when a key is unknown. */
  schema?: z.ZodType;
  /** How a received value is shown; undefined hides it (a secret). Default: as JSON. */
  show?: (path: Path, value: unknown) => string | undefined;
}

/** `content/site.json:3:5: field …`, one line per issue. */
export function jsonFileErrors(
  file: string,
  text: string,
  issues: Issue[],
  options: IssueOptions = {},
): string {
  const root: unknown = JSON.parse(text);
  return issues
    .map((issue) => {
      const { line, column } = issuePosition(text, issue);
      return `${file}:${line}:${column}: ${describeIssue(issue, root, options)}`;
    })
    .join('\n');
}

/** What is wrong, without where: `field \`x\`: received 42, expected text`. */
export function describeIssue(issue: Issue, root: unknown, options: IssueOptions = {}): string {
  const noun = options.noun ?? 'field';
  if (issue.code === 'unrecognized_keys') {
    const known = options.schema && objectKeys(options.schema, issue.path);
    const names = issue.keys.map((k) => `\`${[...issue.path, k].join('.')}\``).join(', ');
    return `unknown ${noun}${issue.keys.length > 1 ? 's' : ''} ${names}: ${
      known ? `expected only ${known.join(', ')}` : 'remove it, or check its spelling'
    }`;
  }
  const name = `${noun} \`${issue.path.join('.') || '(the whole file)'}\``;
  const expected = expectation(issue);
  // A check of our own (a refinement) says all of it: `names category "x", which is not one of …`.
  if (issue.code === 'custom') return `${name}: ${issue.message}`;
  const [value, present] = valueAt(root, issue.path);
  if (!present) return `${name} is missing: expected ${expected}`;
  const shown = options.show ? options.show(issue.path, value) : JSON.stringify(value);
  return `${name}: ${shown === undefined ? '' : `received ${shown}, `}expected ${expected}`;
}

/**
 * What was expected: the schema's own words, or ours for Zod's defaults, which read "Invalid
 * input: expected string, received number" and "Invalid option: expected one of "a"|"b"".
 */
function expectation(issue: Issue): string {
  if (issue.code === 'invalid_value' && issue.message.startsWith('Invalid option'))
    return `one of ${issue.values.map(String).join(', ')}`;
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
    return (
      { string: 'text', number: 'a number', boolean: 'true or false', array: 'a list', object: 'an object' }[
        issue.expected as string
      ] ?? String(issue.expected)
    );
  }
  return issue.message;
}

function valueAt(root: unknown, path: Path): [unknown, boolean] {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return [undefined, false];
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return [value, true];
}

/** The names an object schema at `path` accepts, if the schema can tell. */
function objectKeys(schema: z.ZodType, path: Path): string[] | undefined {
  let node: any = schema;
  const unwrap = () => {
    for (;;) {
      const def = node?._zod?.def;
      if (def && ['optional', 'default', 'nullable', 'prefault', 'readonly', 'catch'].includes(def.type))
        node = def.innerType;
      else if (def?.type === 'pipe') node = def.in;
      else return;
    }
  };
  unwrap();
  for (const key of path) {
    const def = node?._zod?.def;
    if (def?.type === 'object') node = def.shape[key as string];
    else if (def?.type === 'array') node = def.element;
    else if (def?.type === 'record') node = def.valueType;
    else return undefined;
    unwrap();
  }
  return node?._zod?.def?.type === 'object' ? Object.keys(node._zod.def.shape) : undefined;
}

/** Where an issue points: an unknown key, a present key, or the object a missing key belongs in. */
export function issuePosition(text: string, issue: Issue): { line: number; column: number } {
  const keys = keyOffsets(text);
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : [...issue.path];
  // The deepest part of the path that is in the file.
  for (let n = path.length; n >= 0; n--) {
    const offset = keys.get(pathKey(path.slice(0, n)));
    if (offset !== undefined) return lineAndColumn(text, offset);
  }
  return { line: 1, column: 1 };
}

const pathKey = (path: Path) => path.map(String).join('\0');

/**
 * Offsets of every key (an object member's name, an array element's start) in valid JSON
 * text, by path. JSON.parse gives no positions; this reads the text once, as it is.
 */
function keyOffsets(text: string): Map<string, number> {
  const offsets = new Map<string, number>();
  let i = 0;
  const space = () => {
    while (/\s/.test(text[i] ?? '')) i++;
  };
  const string = (): string => {
    const start = i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: PropertyKey[]): void => {
    space();
    if (text[i] === '{') {
      i++;
      for (space(); text[i] !== '}'; space()) {
        if (text[i] === ',') {
          i++;
          space();
        }
        const at = i;
        const key = string();
        offsets.set(pathKey([...path, key]), at);
        space();
        i++; // :
        value([...path, key]);
      }
      i++;
    } else if (text[i] === '[') {
      i++;
      for (let n = 0; ; n++) {
        space();
        if (text[i] === ']') break;
        if (text[i] === ',') {
          i++;
          space();
        }
        offsets.set(pathKey([...path, n]), i);
        value([...path, n]);
        space();
        if (text[i] === ']') break;
      }
      i++;
    } else if (text[i] === '"') string();
    else while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
  };
  space();
  offsets.set('', i);
  value([]);
  return offsets;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}
