/**
 * Citation checks for chat answers (P1-4): a citation must name a retrieved source. Markers that
 * point elsewhere are removed from the text and reported; sentences without any marker are counted
 * so the answer can be flagged as partly uncited.
 */
export interface CitationCheck {
  answer: string;
  /** Valid source numbers used, in order of first use. */
  citations: number[];
  /** Numbers the model cited that were not among the retrieved sources. */
  dropped: number[];
  /** Sentences of the answer that cite nothing. */
  uncitedSentences: number;
}

const MARKER = /\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]/g;

export function checkCitations(answer: string, declared: number[], sourceCount: number): CitationCheck {
  const valid = (n: number) => Number.isInteger(n) && n >= 1 && n <= sourceCount;
  const used: number[] = [];
  const dropped = new Set<number>();
  const cleaned = answer
    .replace(MARKER, (_m, list: string) => {
      const nums = list.split(',').map((x) => Number(x.trim()));
      const keep = nums.filter(valid);
      for (const n of nums) if (!valid(n)) dropped.add(n);
      for (const n of keep) if (!used.includes(n)) used.push(n);
      return keep.length ? `[${keep.join(', ')}]` : '';
    })
    .replace(/[ \t]+([.,;:])/g, '$1')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
  for (const n of declared) {
    if (!valid(n)) dropped.add(n);
    else if (!used.includes(n)) used.push(n);
  }
  const sentences = cleaned
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => /\p{L}{3,}/u.test(s));
  const uncitedSentences = sentences.filter((s) => !/\[\d/.test(s)).length;
  return { answer: cleaned, citations: used, dropped: [...dropped].sort((a, b) => a - b), uncitedSentences };
}
