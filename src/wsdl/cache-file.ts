import { MODEL_FORMAT_VERSION, type WsdlModel } from './model';

/** A compiled model as the cache keeps it: the files it was compiled from, their key, the model. */
export interface CacheEntry {
  /** Hash of the source files' paths and contents (and the load options): null when they could not be read. */
  key: string | null;
  /**
   * Files the model was compiled from (absolute), with the sha256 of their bytes; null for an
   * import that was missing (the model is stale once it exists).
   */
  files: { file: string; sha256: string | null }[];
  model: WsdlModel;
}

/**
 * Sections parsed only when first read. A bridge serving a WSDL as SOAP pass-through reads the
 * services and operations at start; the schema (a third of a large model) is read by the REST
 * facade, OpenAPI and prototypes, the bindings, portTypes and messages by summaries and checks.
 * So a start skips the JSON.parse of what its APIs do not use, and never holds those objects.
 */
const LAZY = new Set<string>(['bindings', 'portTypes', 'messages', 'schema'] satisfies (keyof WsdlModel)[]);

/**
 * The cache file: a one-line JSON header (format, key, files, and the UTF-8 length of each model
 * section), a newline, then each section's JSON one after another. One JSON document would have
 * to be decoded and parsed whole before the first operation can be served (≈ 40 ms for a 3 MB
 * WSDL's 7 MB model).
 */
export function cacheBytes(entry: CacheEntry): Buffer {
  const names: string[] = [];
  const texts: string[] = [];
  for (const [name, value] of Object.entries(entry.model)) {
    if (value === undefined) continue;
    names.push(name);
    texts.push(JSON.stringify(value));
  }
  const header = { formatVersion: MODEL_FORMAT_VERSION, key: entry.key, files: entry.files, sections: names.map((n, i) => [n, Buffer.byteLength(texts[i] as string)]) };
  return Buffer.from(`${JSON.stringify(header)}\n${texts.join('')}`);
}

/**
 * The entry in `bytes` (from cacheBytes), its lazy sections decoded and parsed on first access;
 * undefined when `bytes` is not a cache file of this model format (an older cache: compiled
 * again) or not as long as its header says. Throws on a damaged header. Files are written whole
 * (temp file and rename), so a section that fails to parse means the file was changed by hand:
 * that read throws an error naming `source`. Only the lazy sections' bytes are kept (outside the
 * JS heap), not the file.
 */
export function parseCache(bytes: Uint8Array, source = 'the compile worker'): CacheEntry | undefined {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nl = buf.indexOf(0x0a);
  if (nl < 0) return undefined;
  const header = JSON.parse(buf.toString('utf8', 0, nl)) as { formatVersion?: unknown; key?: unknown; files?: unknown; sections?: unknown };
  if (header.formatVersion !== MODEL_FORMAT_VERSION || !Array.isArray(header.files) || !Array.isArray(header.sections)) return undefined;
  if (header.key !== null && typeof header.key !== 'string') return undefined;
  const sections = header.sections as [string, number][];
  let at = nl + 1;
  for (const [, length] of sections) at += length;
  if (at !== buf.length) return undefined; // truncated or padded: not what was written
  const model = {} as Record<string, unknown>;
  at = nl + 1;
  for (const [name, length] of sections) {
    const from = at;
    at += length;
    if (!LAZY.has(name)) {
      model[name] = JSON.parse(buf.toString('utf8', from, at));
      continue;
    }
    // A copy, so the file's buffer is not kept alive by the sections no one may ever read.
    let json: Buffer | undefined = Buffer.from(buf.subarray(from, at));
    let value: unknown;
    Object.defineProperty(model, name, {
      enumerable: true,
      get(): unknown {
        if (json !== undefined) {
          try {
            value = JSON.parse(json.toString('utf8'));
          } catch (e) {
            throw new Error(`${source}: the cached model's "${name}" is damaged (delete the file to compile again)`, { cause: e });
          }
          json = undefined;
        }
        return value;
      },
    });
  }
  return { key: header.key, files: header.files as CacheEntry['files'], model: model as unknown as WsdlModel };
}
