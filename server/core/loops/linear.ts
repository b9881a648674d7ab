// Polynomials of degree <= 2 over symbols, with numeric coefficients: enough for affine subscripts
// with symbolic constants (a[i + n]) and the linearised 2-D indexing of flat arrays (a[i * n + j]).

/** A product of symbols, as sorted keys joined by '*'; '' is the constant monomial. */
type Monomial = string;

export class Poly {
  private constructor(readonly terms: ReadonlyMap<Monomial, number>) {}

  static constant(value: number): Poly {
    return new Poly(value === 0 ? new Map() : new Map([['', value]]));
  }

  static symbol(key: string): Poly {
    return new Poly(new Map([[key, 1]]));
  }

  static readonly zero = Poly.constant(0);

  add(other: Poly): Poly {
    return this.combine(other, 1);
  }

  sub(other: Poly): Poly {
    return this.combine(other, -1);
  }

  scale(k: number): Poly {
    if (k === 0) return Poly.zero;
    const terms = new Map<Monomial, number>();
    for (const [m, c] of this.terms) terms.set(m, c * k);
    return new Poly(terms);
  }

  /** The product, or undefined when a monomial would exceed degree 2. */
  mul(other: Poly): Poly | undefined {
    const terms = new Map<Monomial, number>();
    for (const [m1, c1] of this.terms) {
      for (const [m2, c2] of other.terms) {
        const factors = [...splitMonomial(m1), ...splitMonomial(m2)].sort();
        if (factors.length > 2) return undefined;
        const key = factors.join('*');
        terms.set(key, (terms.get(key) ?? 0) + c1 * c2);
      }
    }
    return new Poly(dropZeros(terms));
  }

  isConstant(): boolean {
    return this.terms.size === 0 || (this.terms.size === 1 && this.terms.has(''));
  }

  get constantTerm(): number {
    return this.terms.get('') ?? 0;
  }

  /** The number this polynomial is, or undefined when it has symbols. */
  asNumber(): number | undefined {
    return this.isConstant() ? this.constantTerm : undefined;
  }

  isZero(): boolean {
    return this.terms.size === 0;
  }

  equals(other: Poly): boolean {
    return this.sub(other).isZero();
  }

  /** Every symbol that occurs. */
  symbols(): Set<string> {
    const out = new Set<string>();
    for (const m of this.terms.keys()) for (const f of splitMonomial(m)) out.add(f);
    return out;
  }

  /** Splits into (coefficient of `key`, the rest): this = coefficient * key + rest. Undefined if `key` occurs squared. */
  separate(key: string): { coefficient: Poly; rest: Poly } | undefined {
    const coefficient = new Map<Monomial, number>();
    const rest = new Map<Monomial, number>();
    for (const [m, c] of this.terms) {
      const factors = splitMonomial(m);
      const at = factors.indexOf(key);
      if (at < 0) {
        rest.set(m, c);
        continue;
      }
      const others = factors.filter((_, i) => i !== at);
      if (others.includes(key)) return undefined;
      const k = others.join('*');
      coefficient.set(k, (coefficient.get(k) ?? 0) + c);
    }
    return { coefficient: new Poly(dropZeros(coefficient)), rest: new Poly(rest) };
  }

  /** Replaces symbol keys (used to tell one iteration's inner variables from another's). */
  rename(map: ReadonlyMap<string, string>): Poly {
    const terms = new Map<Monomial, number>();
    for (const [m, c] of this.terms) {
      const key = splitMonomial(m).map((f) => map.get(f) ?? f).sort().join('*');
      terms.set(key, (terms.get(key) ?? 0) + c);
    }
    return new Poly(dropZeros(terms));
  }

  /** Substitutes `key` by `value` (degree permitting). */
  substitute(key: string, value: Poly): Poly | undefined {
    const parts = this.separate(key);
    if (!parts) return undefined;
    const product = parts.coefficient.mul(value);
    return product ? product.add(parts.rest) : undefined;
  }

  toString(): string {
    if (this.terms.size === 0) return '0';
    return [...this.terms].map(([m, c]) => (m === '' ? String(c) : `${c}*${m}`)).join(' + ');
  }

  private combine(other: Poly, sign: number): Poly {
    const terms = new Map(this.terms);
    for (const [m, c] of other.terms) terms.set(m, (terms.get(m) ?? 0) + sign * c);
    return new Poly(dropZeros(terms));
  }
}

function splitMonomial(m: Monomial): string[] {
  return m === '' ? [] : m.split('*');
}

function dropZeros(terms: Map<Monomial, number>): Map<Monomial, number> {
  for (const [m, c] of terms) if (c === 0) terms.delete(m);
  return terms;
}

export function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}
