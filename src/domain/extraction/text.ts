/**
 * Text preparation for the rules. Every transformation keeps the text's length, so offsets found in
 * the prepared text are offsets into the caller's text as well.
 */

const CHARACTER_FOLDS: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u02bc': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  '\u00a0': ' ',
  '\u2007': ' ',
  '\u2009': ' ',
  '\u202f': ' ',
  '\u200b': ' ',
  '\u200c': ' ',
  '\u200d': ' ',
  '\ufeff': ' ',
  '\uff05': '%',
};

/** Folds typographic quotes, dashes, minus signs and unusual spaces to ASCII, one character for one. */
export function foldCharacters(text: string): string {
  let out = '';
  for (const ch of text) {
    // Astral characters take two UTF-16 units; keep them as they are so offsets stay aligned.
    out += ch.length === 1 ? (CHARACTER_FOLDS[ch] ?? ch) : ch;
  }
  return out;
}

/** A stretch of text read on its own: a headline line or one sentence of the body. */
export interface Sentence {
  start: number;
  end: number;
  /** True for the first line of the text, which the extractor reads as the headline. */
  headline: boolean;
  /** Offsets (absolute) where a clause ends inside the sentence: commas, semicolons, "and", "but", " - ". */
  clauseBreaks: number[];
}

const ABBREVIATIONS = /(?:\b(?:vs|e\.g|i\.e|etc|approx|inc|ltd|co|corp|dr|mr|ms|no|fig|est|u\.s|u\.k)|\b[A-Z])\.$/i;
const CLAUSE_BREAK = /[,;]|\s(?:and|but|while|whereas|although|though|versus|vs\.?|compared)\s|\s-\s/gi;

/**
 * Splits text into sentences: a newline always ends one (titles carry no full stop), and `.`, `!`,
 * `?` end one when followed by a space and not part of a number or a known abbreviation.
 */
export function splitSentences(text: string): Sentence[] {
  const sentences: Sentence[] = [];
  let lineStart = 0;
  let firstLine = true;
  for (const line of text.split('\n')) {
    const lineEnd = lineStart + line.length;
    if (line.trim() !== '') {
      let start = lineStart;
      const enders = /[.!?](?=\s+\S)/g;
      for (let m = enders.exec(line); m; m = enders.exec(line)) {
        const end = lineStart + m.index + 1;
        if (ABBREVIATIONS.test(text.slice(start, end))) continue;
        sentences.push(makeSentence(text, start, end, firstLine));
        start = end;
      }
      sentences.push(makeSentence(text, start, lineEnd, firstLine));
      firstLine = false;
    }
    lineStart = lineEnd + 1;
  }
  return sentences.filter((s) => text.slice(s.start, s.end).trim() !== '');
}

function makeSentence(text: string, start: number, end: number, headline: boolean): Sentence {
  const body = text.slice(start, end);
  const clauseBreaks: number[] = [];
  for (const m of body.matchAll(CLAUSE_BREAK)) clauseBreaks.push(start + m.index);
  return { start, end, headline, clauseBreaks };
}

/** Index of the clause that holds an offset, so two offsets share a clause when the indexes agree. */
export function clauseIndex(sentence: Sentence, offset: number): number {
  return sentence.clauseBreaks.filter((b) => b < offset).length;
}

/** True when a clause break lies between two offsets (in either order). */
export function crossesClause(sentence: Sentence, a: number, b: number): boolean {
  return clauseIndex(sentence, a) !== clauseIndex(sentence, b);
}
