import { EMBEDDING_DIMENSIONS } from '../db/migrations/20251029_add_embeddings.js';

/** Model id stored next to local vectors; a vector is only ever compared with vectors of the same model. */
export const LOCAL_EMBEDDING_MODEL = 'local-hash-v1';

const STOP_WORDS = new Set(
  'a an and are as at be been but by can could did do does for from had has have how i if in into is it its of on or our over so than that the their them then there these they this those to up was we were what when where which who why will with would you your about after before more most new per vs via'.split(
    ' ',
  ),
);

/** Lower-case word tokens: NFKC, accents stripped, letters and digits only, light plural folding. */
export function embeddingTokens(text: string): string[] {
  const folded = text
    .normalize('NFKC')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  const words = folded.match(/[\p{L}\p{N}]+(?:[.,][\p{N}]+)?/gu) ?? [];
  return words
    .filter((w) => !STOP_WORDS.has(w))
    .map((w) =>
      w.length > 4 && w.endsWith('ies') ? `${w.slice(0, -3)}y` : w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w,
    );
}

/** FNV-1a, 32 bit. */
function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Deterministic local embedding for when no provider key is set: feature hashing of normalised
 * tokens (weight 1) and adjacent-token bigrams (weight 0.5) into 256 signed buckets, with
 * sublinear term frequency, L2-normalised. Texts sharing vocabulary land close in cosine distance;
 * it knows no synonyms. A text with no tokens gives the zero vector (callers skip vector search for it).
 */
export function localEmbedding(text: string, dimensions = EMBEDDING_DIMENSIONS): number[] {
  const tokens = embeddingTokens(text);
  const counts = new Map<string, number>();
  const add = (feature: string, weight: number) => counts.set(feature, (counts.get(feature) ?? 0) + weight);
  tokens.forEach((t, i) => {
    add(`u:${t}`, 1);
    if (i > 0) add(`b:${tokens[i - 1]} ${t}`, 0.5);
  });
  const v = new Array<number>(dimensions).fill(0);
  for (const [feature, count] of counts) {
    const h = fnv1a(feature);
    const sign = fnv1a(feature, 0x9747b28c) & 1 ? 1 : -1;
    v[h % dimensions]! += sign * (1 + Math.log(count));
  }
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return norm === 0 ? v : v.map((x) => x / norm);
}

export function isZeroVector(v: number[]): boolean {
  return v.every((x) => x === 0);
}

export function cosineSimilarity(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
