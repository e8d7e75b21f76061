import { compilePattern } from './simple-value';

/**
 * A short string matching an XSD pattern, for sample generation: the first alternative of
 * every choice, the first character of every class, the minimum of every quantifier. Returns
 * null when the pattern uses something this small generator does not follow (the caller then
 * falls back to a plain sample).
 */
export function sampleForPattern(pattern: string): string | null {
  let out: string;
  try {
    const p = new PatternReader(pattern);
    out = p.alternation();
    if (!p.done()) return null;
  } catch {
    return null;
  }
  const re = compilePattern(pattern);
  return re && re.test(out) ? out : null;
}

const ESCAPES: Record<string, string> = { d: '1', D: 'a', w: 'a', W: '-', s: ' ', S: 'a', i: 'a', I: '-', c: 'a', C: ' ', n: '\n', r: '\r', t: '\t' };
const NEGATED_CANDIDATES = ['a', 'A', '1', 'x', 'Z', '0', '_', '-', '.', ' ', 'é'];

class PatternReader {
  private i = 0;
  constructor(private readonly s: string) {}

  done(): boolean {
    return this.i >= this.s.length;
  }

  alternation(): string {
    const first = this.sequence();
    while (this.s[this.i] === '|') {
      this.i++;
      this.sequence();
    }
    return first;
  }

  private sequence(): string {
    let out = '';
    while (!this.done() && this.s[this.i] !== '|' && this.s[this.i] !== ')') {
      const atom = this.atom();
      const [min] = this.quantifier();
      out += atom.repeat(min);
    }
    return out;
  }

  private atom(): string {
    const c = this.s[this.i++] as string;
    if (c === '(') {
      if (this.s.startsWith('?:', this.i)) this.i += 2;
      const inner = this.alternation();
      if (this.s[this.i++] !== ')') throw new Error('unbalanced group');
      return inner;
    }
    if (c === '[') return this.charClass();
    if (c === '.') return 'a';
    if (c === '\\') return this.escape();
    if (c === '^' || c === '$') return '';
    return c;
  }

  private escape(): string {
    const e = this.s[this.i++] as string;
    if (e === 'p' || e === 'P') {
      // Unicode categories: a letter of the named kind (\p{Lu} upper case, \p{N*} a digit), or
      // for \P{..} one outside it.
      const end = this.s.indexOf('}', this.i);
      if (end < 0) throw new Error('bad \\p');
      const cat = this.s.slice(this.i + 1, end);
      this.i = end + 1;
      if (e === 'P') return cat.startsWith('N') ? 'a' : '1';
      return cat.startsWith('Lu') ? 'A' : cat.startsWith('N') ? '1' : 'a';
    }
    return ESCAPES[e] ?? e;
  }

  private charClass(): string {
    const negated = this.s[this.i] === '^';
    if (negated) this.i++;
    const start = this.i;
    let first: string | null = null;
    let depth = 0;
    while (!this.done()) {
      const c = this.s[this.i] as string;
      if (c === '\\') {
        this.i++;
        const e = this.escape();
        first ??= e;
        continue;
      }
      if (c === '[') depth++;
      if (c === ']' && this.i > start) {
        if (depth === 0) break;
        depth--;
      }
      first ??= c;
      this.i++;
    }
    const body = this.s.slice(start, this.i);
    this.i++; // ]
    if (!negated) return first ?? 'a';
    let re: RegExp;
    try {
      re = new RegExp(`[^${body}]`, 'u');
    } catch {
      return 'a';
    }
    return NEGATED_CANDIDATES.find((x) => re.test(x)) ?? 'a';
  }

  private quantifier(): [number, number] {
    const c = this.s[this.i];
    if (c === '?' || c === '*') {
      this.i++;
      return [0, c === '?' ? 1 : -1];
    }
    if (c === '+') {
      this.i++;
      return [1, -1];
    }
    if (c === '{') {
      const end = this.s.indexOf('}', this.i);
      const [a = '0', b] = this.s.slice(this.i + 1, end).split(',');
      this.i = end + 1;
      const min = Number.parseInt(a, 10);
      return [Number.isFinite(min) ? min : 0, b === undefined ? min : b === '' ? -1 : Number.parseInt(b, 10)];
    }
    return [1, 1];
  }
}
