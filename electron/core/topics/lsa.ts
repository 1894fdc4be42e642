// Latent semantic analysis of the messages' words: a TF-IDF matrix reduced to its strongest few
// directions by randomized SVD (Halko, Martinsson & Tropp 2011). It plays the part UMAP plays in
// BERTopic: short messages rarely share words ("my package is late" / "tracking has not updated"),
// but across the inbox those words occur with the same neighbours, and the SVD puts them on the
// same axis. The result is concatenated with the embedder's vectors before clustering, so the
// built-in (lexical) embedder still groups messages by theme, and a semantic endpoint model gains a
// view of this inbox's own vocabulary.
import type { Pacer } from './pacer';
import { keywordTerms } from './text';

export interface LsaOptions {
  /** Directions kept. */
  rank: number;
  /** A term must occur in at least this many messages (rarer words say nothing about a theme). */
  minDf: number;
  /** …and in at most this share of them (words everyone uses separate nothing). */
  maxDfShare: number;
  rand: () => number;
}

interface Csr {
  rows: number;
  cols: number;
  ptr: Int32Array;
  idx: Int32Array;
  val: Float32Array;
  /** Column c's stem and idf weight. */
  terms: string[];
  idf: number[];
}

/** What projects a new message into the same LSA space (kept in the model file). */
export interface LsaProjection {
  terms: string[];
  idf: number[];
  /** terms × dims, row-major: the right singular vectors (a message's coordinates are tfidf · V). */
  loadings: Float32Array;
  dims: number;
}

/** The L2-normalised TF-IDF rows of the texts over the kept vocabulary. */
function tfidfMatrix(texts: readonly string[], opts: LsaOptions): Csr {
  const docs = texts.map((t) => keywordTerms(t).map(([stem]) => stem));
  const df = new Map<string, number>();
  for (const d of docs) for (const s of d) df.set(s, (df.get(s) ?? 0) + 1);
  const n = texts.length;
  const vocab = new Map<string, number>();
  const idf: number[] = [];
  for (const [s, c] of [...df].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (c < opts.minDf || c > n * opts.maxDfShare) continue;
    vocab.set(s, vocab.size);
    idf.push(Math.log((1 + n) / (1 + c)) + 1);
  }
  const ptr = new Int32Array(n + 1);
  const idx: number[] = [];
  const val: number[] = [];
  docs.forEach((d, i) => {
    const start = idx.length;
    for (const s of d) {
      const col = vocab.get(s);
      if (col === undefined) continue;
      idx.push(col);
      val.push(idf[col]!);
    }
    let norm = 0;
    for (let j = start; j < val.length; j++) norm += val[j]! ** 2;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let j = start; j < val.length; j++) val[j] = val[j]! / norm;
    ptr[i + 1] = idx.length;
  });
  return { rows: n, cols: vocab.size, ptr, idx: Int32Array.from(idx), val: Float32Array.from(val), terms: [...vocab.keys()], idf };
}

/** Y = A·X (X: cols × l, row-major) */
function mulAX(a: Csr, x: Float64Array, l: number): Float64Array {
  const y = new Float64Array(a.rows * l);
  for (let i = 0; i < a.rows; i++) {
    for (let p = a.ptr[i]!; p < a.ptr[i + 1]!; p++) {
      const c = a.idx[p]!;
      const v = a.val[p]!;
      for (let k = 0; k < l; k++) y[i * l + k] = y[i * l + k]! + v * x[c * l + k]!;
    }
  }
  return y;
}

/** Z = Aᵀ·Y (Y: rows × l) */
function mulATY(a: Csr, y: Float64Array, l: number): Float64Array {
  const z = new Float64Array(a.cols * l);
  for (let i = 0; i < a.rows; i++) {
    for (let p = a.ptr[i]!; p < a.ptr[i + 1]!; p++) {
      const c = a.idx[p]!;
      const v = a.val[p]!;
      for (let k = 0; k < l; k++) z[c * l + k] = z[c * l + k]! + v * y[i * l + k]!;
    }
  }
  return z;
}

/** Orthonormalise the l columns of M (rows × l) in place (modified Gram-Schmidt). */
function orthonormalize(m: Float64Array, rows: number, l: number): void {
  for (let k = 0; k < l; k++) {
    for (let j = 0; j < k; j++) {
      let dot = 0;
      for (let i = 0; i < rows; i++) dot += m[i * l + k]! * m[i * l + j]!;
      for (let i = 0; i < rows; i++) m[i * l + k] = m[i * l + k]! - dot * m[i * l + j]!;
    }
    let norm = 0;
    for (let i = 0; i < rows; i++) norm += m[i * l + k]! ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < rows; i++) m[i * l + k] = norm > 1e-12 ? m[i * l + k]! / norm : 0;
  }
}

/** Eigen-decomposition of a small symmetric matrix (cyclic Jacobi): values descending, vectors as columns. */
function symmetricEigen(s: Float64Array, l: number): { values: number[]; vectors: Float64Array } {
  const a = Float64Array.from(s);
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < l; p++) for (let q = p + 1; q < l; q++) off += a[p * l + q]! ** 2;
    if (off < 1e-18) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q]!;
        if (Math.abs(apq) < 1e-15) continue;
        const theta = (a[q * l + q]! - a[p * l + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < l; k++) {
          const akp = a[k * l + p]!;
          const akq = a[k * l + q]!;
          a[k * l + p] = c * akp - sn * akq;
          a[k * l + q] = sn * akp + c * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = a[p * l + k]!;
          const aqk = a[q * l + k]!;
          a[p * l + k] = c * apk - sn * aqk;
          a[q * l + k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p]!;
          const vkq = v[k * l + q]!;
          v[k * l + p] = c * vkp - sn * vkq;
          v[k * l + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: l }, (_, i) => i).sort((x, y) => a[y * l + y]! - a[x * l + x]!);
  const vectors = new Float64Array(l * l);
  order.forEach((src, dst) => {
    for (let k = 0; k < l; k++) vectors[k * l + dst] = v[k * l + src]!;
  });
  return { values: order.map((i) => a[i * l + i]!), vectors };
}

/**
 * Each text as `rank` LSA coordinates (rows scaled by the singular values, so strong directions
 * weigh more). Texts with no kept term get a zero row.
 */
export async function lsaVectors(texts: readonly string[], opts: LsaOptions, pacer: Pacer): Promise<{ vectors: Float32Array[]; dims: number; projection: LsaProjection }> {
  const a = tfidfMatrix(texts, opts);
  const l = Math.min(opts.rank + 8, a.cols, a.rows);
  if (l < 2) return { vectors: texts.map(() => new Float32Array(0)), dims: 0, projection: { terms: [], idf: [], loadings: new Float32Array(0), dims: 0 } };
  const omega = new Float64Array(a.cols * l);
  for (let i = 0; i < omega.length; i++) omega[i] = opts.rand() * 2 - 1;
  let y = mulAX(a, omega, l);
  orthonormalize(y, a.rows, l);
  // Two power iterations sharpen the spectrum (word counts decay slowly).
  for (let q = 0; q < 2; q++) {
    await pacer.pause();
    const z = mulATY(a, y, l);
    orthonormalize(z, a.cols, l);
    y = mulAX(a, z, l);
    orthonormalize(y, a.rows, l);
  }
  await pacer.pause();
  // B = Qᵀ A (l × cols), via Aᵀ Q (cols × l).
  const bt = mulATY(a, y, l);
  const bbt = new Float64Array(l * l);
  for (let i = 0; i < l; i++) {
    for (let j = i; j < l; j++) {
      let s = 0;
      for (let c = 0; c < a.cols; c++) s += bt[c * l + i]! * bt[c * l + j]!;
      bbt[i * l + j] = s;
      bbt[j * l + i] = s;
    }
  }
  const { values, vectors: ub } = symmetricEigen(bbt, l);
  const r = Math.min(opts.rank, l);
  // Document coordinates: Q · U_b · Σ, i.e. (Q U_b) scaled by the singular values sqrt(λ).
  const out: Float32Array[] = [];
  for (let i = 0; i < a.rows; i++) {
    const row = new Float32Array(r);
    for (let k = 0; k < r; k++) {
      let s = 0;
      for (let j = 0; j < l; j++) s += y[i * l + j]! * ub[j * l + k]!;
      row[k] = s * Math.sqrt(Math.max(0, values[k]!));
    }
    out.push(row);
    if (pacer.due()) await pacer.pause();
  }
  // V = Bᵀ U_b Σ⁻¹, so that A·V = Q U_b Σ: a new message's tfidf row times V lands where the
  // same message would have landed had it been in the inbox.
  const loadings = new Float32Array(a.cols * r);
  for (let k = 0; k < r; k++) {
    const sigma = Math.sqrt(Math.max(0, values[k]!));
    if (sigma < 1e-12) continue;
    for (let c = 0; c < a.cols; c++) {
      let s = 0;
      for (let j = 0; j < l; j++) s += bt[c * l + j]! * ub[j * l + k]!;
      loadings[c * r + k] = s / sigma;
    }
  }
  return { vectors: out, dims: r, projection: { terms: a.terms, idf: a.idf, loadings, dims: r } };
}

/** A new message's LSA coordinates under a stored projection (zero when it has no known word). */
export function projectText(text: string, p: LsaProjection, terms: ReadonlyMap<string, number>): Float32Array {
  const out = new Float32Array(p.dims);
  const cols: number[] = [];
  for (const [stem] of keywordTerms(text)) {
    const c = terms.get(stem);
    if (c !== undefined) cols.push(c);
  }
  if (cols.length === 0) return out;
  let norm = 0;
  for (const c of cols) norm += p.idf[c]! ** 2;
  norm = Math.sqrt(norm);
  for (const c of cols) for (let k = 0; k < p.dims; k++) out[k] = out[k]! + (p.idf[c]! / norm) * p.loadings[c * p.dims + k]!;
  return out;
}
