/**
 * The JSONPath subset routing rules need: `$`, `.name`, `['name']`, `["name"]` and `[index]`
 * (e.g. `$.order.items[0].sku`). Filters, wildcards and recursive descent are left out: a rule
 * selects one value, and a path that could select many would make routing ambiguous.
 */
export type JsonStep = string | number;

export function compileJsonPath(path: string): readonly JsonStep[] {
  if (!path.startsWith('$')) throw new Error(`JSONPath "${path}" must start with $`);
  const steps: JsonStep[] = [];
  const re = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;
  let at = 1;
  while (at < path.length) {
    re.lastIndex = at;
    const m = re.exec(path);
    if (!m) throw new Error(`JSONPath "${path}": unsupported syntax at offset ${at}`);
    steps.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? m[3] ?? m[4])!);
    at = re.lastIndex;
  }
  return steps;
}

/** The selected value, or undefined when any step is missing. Own properties only. */
export function selectJson(doc: unknown, steps: readonly JsonStep[]): unknown {
  let cur: unknown = doc;
  for (const s of steps) {
    if (typeof s === 'number') {
      if (!Array.isArray(cur) || s >= cur.length) return undefined;
      cur = cur[s];
    } else {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, s)) return undefined;
      cur = (cur as Record<string, unknown>)[s];
    }
  }
  return cur;
}
