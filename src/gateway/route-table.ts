/**
 * The precompiled table the hot path dispatches on: API mounts (`/{context}/{version}`) by
 * exact string, found by trying the request path's prefixes at '/' boundaries, longest first.
 * A lookup costs a few Map probes, with no regex and no Express router in the way.
 */
export class RouteTable<T> {
  private readonly mounts = new Map<string, T>();

  add(mount: string, value: T): void {
    this.mounts.set(mount, value);
  }

  /** Returns the API and the rest of the path below its mount ('' or starting with '/'). */
  find(path: string): { value: T; rest: string } | undefined {
    let end = path.length;
    // Try prefixes ending at each '/' (and the full path), longest first.
    while (end > 0) {
      const v = this.mounts.get(end === path.length ? path : path.slice(0, end));
      if (v !== undefined) return { value: v, rest: path.slice(end) };
      end = path.lastIndexOf('/', end - 1);
    }
    return undefined;
  }

  get size(): number {
    return this.mounts.size;
  }

  values(): IterableIterator<T> {
    return this.mounts.values();
  }
}
