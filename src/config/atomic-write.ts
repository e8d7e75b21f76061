import { closeSync, fsyncSync, openSync, readdirSync, renameSync, statSync, writeSync, unlinkSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes a file so that readers (and a crash) only ever see the old or the new content:
 * temp file in the same folder, fsync, rename over the target, fsync the folder.
 */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(tmp, 'w', 0o644);
  try {
    if (typeof content === 'string') writeSync(fd, content);
    else writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (e) {
    unlinkSync(tmp);
    throw e;
  }
  try {
    const dfd = openSync(path.dirname(file), 'r');
    fsyncSync(dfd);
    closeSync(dfd);
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic.
  }
}

/**
 * Removes temp files an interrupted writer (kill -9) left in `dir`: dot-files ending in `.tmp`
 * older than `olderThanMs`, so a writer in another worker that is mid-write keeps its file.
 */
export function sweepStaleTempFiles(dir: string, olderThanMs = 5 * 60_000): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const n of names) {
    if (!n.startsWith('.') || !n.endsWith('.tmp')) continue;
    const f = path.join(dir, n);
    try {
      if (Date.now() - statSync(f).mtimeMs > olderThanMs) {
        unlinkSync(f);
        removed++;
      }
    } catch {
      // Gone already (another worker swept it).
    }
  }
  return removed;
}
