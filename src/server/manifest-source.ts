/**
 * The manifest records are checked against, read from a file (the site's build output) or a
 * URL, and read again when a new build is published: the file's modification time, or the
 * URL's ETag, is checked every few seconds. A manifest that fails to load or parse never
 * replaces a good one; the first one must load, or the endpoint does not start.
 */
import { readFile, stat } from 'node:fs/promises';
import {
  MANIFEST_SCHEMA_VERSION,
  type Manifest,
  type ManifestDocument,
  type ManifestVersion,
} from '../contract/manifest.ts';

export interface ManifestIndex {
  manifest: Manifest;
  document(slug: string): ManifestDocument | undefined;
  version(slug: string, version: string): ManifestVersion | undefined;
}

export function indexManifest(manifest: Manifest): ManifestIndex {
  const documents = new Map(manifest.documents.map((d) => [d.slug, d]));
  const versions = new Map(
    manifest.documents.flatMap((d) => d.versions.map((v) => [`${d.slug}/${v.version}`, v] as const)),
  );
  return {
    manifest,
    document: (slug) => documents.get(slug),
    version: (slug, version) => versions.get(`${slug}/${version}`),
  };
}

export class ManifestError extends Error {}

function parseManifest(text: string, location: string): Manifest {
  let value: Partial<Manifest>;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`the manifest at ${location} is not valid JSON: ${(error as Error).message}`);
  }
  if (value.schemaVersion !== MANIFEST_SCHEMA_VERSION || !Array.isArray(value.documents)) {
    throw new ManifestError(
      `the manifest at ${location} is not an Assent manifest of schema version ${MANIFEST_SCHEMA_VERSION} (schemaVersion: ${JSON.stringify(value.schemaVersion)})`,
    );
  }
  return value as Manifest;
}

export interface ManifestLogger {
  info(message: string): void;
  warn(message: string): void;
}

export class ManifestSource {
  readonly location: string;
  #current: ManifestIndex;
  #stamp: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #logger: ManifestLogger;

  private constructor(
    location: string,
    first: { manifest: Manifest; stamp: string | undefined },
    logger: ManifestLogger,
  ) {
    this.location = location;
    this.#current = indexManifest(first.manifest);
    this.#stamp = first.stamp;
    this.#logger = logger;
  }

  /** Loads the manifest, then looks for a new one every `refreshSeconds` (0: never). */
  static async open(
    location: string,
    refreshSeconds: number,
    logger: ManifestLogger,
  ): Promise<ManifestSource> {
    const first = await load(location, undefined);
    if (!first) throw new ManifestError(`the manifest at ${location} could not be read`);
    const source = new ManifestSource(location, first, logger);
    if (refreshSeconds > 0) {
      source.#timer = setInterval(() => void source.refresh(), refreshSeconds * 1000);
      source.#timer.unref();
    }
    return source;
  }

  get current(): ManifestIndex {
    return this.#current;
  }

  /** Reads the manifest again if it changed; keeps the current one if the new one is broken. */
  async refresh(): Promise<void> {
    try {
      const next = await load(this.location, this.#stamp);
      if (!next) return;
      this.#current = indexManifest(next.manifest);
      this.#stamp = next.stamp;
      this.#logger.info(`manifest reloaded from ${this.location} (generated ${next.manifest.generated})`);
    } catch (error) {
      this.#logger.warn(`kept the previous manifest: ${(error as Error).message}`);
    }
  }

  close(): void {
    clearInterval(this.#timer);
  }
}

/** The manifest and a stamp that changes with it, or undefined when unchanged since `stamp`. */
async function load(
  location: string,
  stamp: string | undefined,
): Promise<{ manifest: Manifest; stamp: string | undefined } | undefined> {
  if (/^https?:\/\//.test(location)) {
    const response = await fetch(location, { headers: stamp ? { 'if-none-match': stamp } : {} });
    if (response.status === 304) return undefined;
    if (!response.ok)
      throw new ManifestError(`fetching the manifest at ${location} answered ${response.status}`);
    return {
      manifest: parseManifest(await response.text(), location),
      stamp: response.headers.get('etag') ?? undefined,
    };
  }
  let info;
  try {
    info = await stat(location);
  } catch {
    throw new ManifestError(
      `there is no manifest at ${location}: build the site first (npm run build), or point --manifest (ASSENT_MANIFEST) at the site's assent/manifest.json`,
    );
  }
  const next = `${info.mtimeMs}:${info.size}`;
  if (next === stamp) return undefined;
  return { manifest: parseManifest(await readFile(location, 'utf8'), location), stamp: next };
}
