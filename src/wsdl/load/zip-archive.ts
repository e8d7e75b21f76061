import yauzl from 'yauzl';
import { WsdlImportError } from '../errors';

/** Entries of a .zip by normalized name, read lazily with size caps (zip bombs stop early). */
export interface ZipArchive {
  names(): string[];
  read(name: string): Promise<Uint8Array | null>;
  close(): void;
}

const MAX_ENTRIES = 10_000;

export async function openZip(file: string, label: string, limits: { maxBytes: number; maxTotalBytes: number }): Promise<ZipArchive> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (err, z) => (err ? reject(err) : resolve(z)));
  }).catch((e: unknown) => {
    throw new WsdlImportError(label, `not a readable zip archive: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  });
  const entries = new Map<string, yauzl.Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      // yauzl already rejects absolute names and ".." segments (zip slip) with an 'error' event;
      // we double-check because nothing read here may ever name a path outside the archive.
      const name = entry.fileName;
      if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.split(/[\\/]/).includes('..')) {
        reject(new Error(`entry "${name}" escapes the archive`));
        return;
      }
      if (entries.size >= MAX_ENTRIES) {
        reject(new Error(`more than ${MAX_ENTRIES} entries`));
        return;
      }
      if (!name.endsWith('/')) entries.set(name.replace(/\\/g, '/'), entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  }).catch((e: unknown) => {
    zip.close();
    throw new WsdlImportError(label, `refused zip archive: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  });

  let totalRead = 0;
  return {
    names: () => [...entries.keys()],
    close: () => zip.close(),
    read: async (name) => {
      const entry = entries.get(name);
      if (!entry) return null;
      if (entry.uncompressedSize > limits.maxBytes) {
        throw new WsdlImportError(`${label}!${name}`, `entry is ${entry.uncompressedSize} bytes, over the ${limits.maxBytes}-byte limit`);
      }
      const where = `${label}!${name}`;
      const chunks: Buffer[] = [];
      try {
        const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => {
          zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s)));
        });
        let size = 0;
        try {
          for await (const chunk of stream) {
            const buf = chunk as Buffer;
            size += buf.length;
            totalRead += buf.length;
            if (size > limits.maxBytes || totalRead > limits.maxTotalBytes) {
              throw new WsdlImportError(where, 'archive expands beyond the size limit (zip bomb?)');
            }
            chunks.push(buf);
          }
        } finally {
          // Stop inflating at once on any early exit.
          (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
        }
      } catch (e) {
        if (e instanceof WsdlImportError) throw e;
        // yauzl's own checks (validateEntrySizes: more bytes than the header declares, bad CRC, …).
        const why = e instanceof Error ? e.message : String(e);
        throw new WsdlImportError(where, /too many bytes/.test(why) ? `entry inflates past the size its header declares (${entry.uncompressedSize} bytes): refused as a zip bomb` : `unreadable archive entry: ${why}`, { cause: e });
      }
      return Buffer.concat(chunks);
    },
  };
}

/**
 * The single .wsdl at the shallowest depth, or an error listing what was found. When several
 * share that depth, the ones another candidate imports (`location="x.wsdl"`) are not entries.
 */
export async function pickEntryWsdl(zip: ZipArchive, label: string): Promise<string> {
  const names = zip.names();
  const wsdls = names.filter((n) => /\.wsdl$/i.test(n) && !n.startsWith('__MACOSX/'));
  if (wsdls.length === 0) throw new WsdlImportError(label, 'the archive contains no .wsdl file');
  const depth = (n: string): number => n.split('/').length;
  const min = Math.min(...wsdls.map(depth));
  let top = wsdls.filter((n) => depth(n) === min);
  if (top.length > 1) {
    const texts = await Promise.all(top.map(async (n) => Buffer.from((await zip.read(n)) ?? []).toString('utf8')));
    const imported = (n: string): boolean => texts.some((t) => t.includes(`location="${n.split('/').pop() ?? n}"`));
    const roots = top.filter((n) => !imported(n));
    if (roots.length >= 1) top = roots;
  }
  if (top.length > 1) {
    throw new WsdlImportError(label, `several candidate entry WSDLs at the same depth: ${top.sort().join(', ')}`);
  }
  return top[0] as string;
}
