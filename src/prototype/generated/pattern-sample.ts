/**
 * A short string matching an XSD regular expression (the subset real schemas use: branches,
 * groups, character classes with ranges and escapes, quantifiers). Each branch picks its first
 * alternative and each quantifier its minimum, so `[A-Z]{2}\d{3,5}` gives `AA000`.
 * Returns null for what it cannot read; callers then fall back to a plain value.
 */
export function sampleForPattern(pattern: string): string | null {
  const p = new PatternReader(pattern);
  try {
    const out = p.branches();
    return p.done() ? out : null;
  } catch {
    return null;
  }
}

const ESCAPES: Record<string, string> = { d: '0', D: 'a', w: 'a', W: '-', s: ' ', S: 'a', i: 'a', I: '0', c: 'a', C: ' ', n: '\n', r: '\r', t: '\t' };

class PatternReader {
  private i = 0;
  constructor(private readonly src: string) {}

  done(): boolean {
    return this.i >= this.src.length;
  }

  branches(): string {
    const first = this.sequence();
    while (this.src[this.i] === '|') {
      this.i++;
      this.sequence();
    }
    return first;
  }

  private sequence(): string {
    let out = '';
    while (!this.done() && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const atom = this.atom();
      const [min] = this.quantifier();
      out += atom.repeat(min);
    }
    return out;
  }

  private atom(): string {
    const c = this.src[this.i++] as string;
    if (c === '(') {
      if (this.src.startsWith('?:', this.i)) this.i += 2;
      const inner = this.branches();
      if (this.src[this.i++] !== ')') throw new Error('unbalanced group');
      return inner;
    }
    if (c === '[') return this.charClass();
    if (c === '\\') return this.escape();
    if (c === '.') return 'a';
    return c;
  }

  private escape(): string {
    const e = this.src[this.i++] as string;
    if (e === 'p' || e === 'P') {
      const end = this.src.indexOf('}', this.i);
      if (end < 0) throw new Error('bad \\p');
      const cat = this.src.slice(this.i + 1, end);
      this.i = end + 1;
      if (e === 'P') return cat.startsWith('N') ? 'a' : '0';
      return cat.startsWith('Lu') ? 'A' : cat.startsWith('N') ? '0' : 'a';
    }
    return ESCAPES[e] ?? e;
  }

  /** The first character the class allows. */
  private charClass(): string {
    const negated = this.src[this.i] === '^';
    if (negated) this.i++;
    const members: string[] = [];
    const ranges: [string, string][] = [];
    let first = true;
    while (!this.done() && (this.src[this.i] !== ']' || first)) {
      first = false;
      if (this.src.startsWith('-[', this.i)) {
        // Subtraction: skip it; the first member usually survives it.
        let depth = 0;
        for (; this.i < this.src.length; this.i++) {
          if (this.src[this.i] === '[') depth++;
          else if (this.src[this.i] === ']' && --depth === 0) break;
        }
        this.i++;
        continue;
      }
      let c = this.src[this.i++] as string;
      if (c === '\\') c = this.escape();
      if (this.src[this.i] === '-' && this.src[this.i + 1] !== ']' && this.src[this.i + 1] !== '[') {
        this.i++;
        let to = this.src[this.i++] as string;
        if (to === '\\') to = this.escape();
        ranges.push([c, to]);
      } else members.push(c);
    }
    if (this.src[this.i++] !== ']') throw new Error('unterminated class');
    if (!negated) return ranges[0]?.[0] ?? members[0] ?? 'a';
    const inClass = (ch: string): boolean => members.includes(ch) || ranges.some(([a, b]) => ch >= a && ch <= b);
    return ['a', 'A', '0', 'x', 'Z', '9', '_', '-'].find((ch) => !inClass(ch)) ?? '~';
  }

  private quantifier(): [number, number] {
    const c = this.src[this.i];
    if (c === '?') return this.consumeQuantifier(1, [0, 1]);
    if (c === '*') return this.consumeQuantifier(1, [0, -1]);
    if (c === '+') return this.consumeQuantifier(1, [1, -1]);
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) throw new Error('bad quantifier');
      this.i += m[0].length;
      const min = Number(m[1]);
      return [min, m[2] === undefined ? min : m[3] ? Number(m[3]) : -1];
    }
    return [1, 1];
  }

  private consumeQuantifier(n: number, q: [number, number]): [number, number] {
    this.i += n;
    return q;
  }
}
