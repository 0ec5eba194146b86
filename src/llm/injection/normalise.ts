import { foldConfusables, hasConfusable } from './confusables.js';
import { decodeEmbeddedPayloads, type DecodedPayload } from './encoded.js';
import { respellTriggerWords } from './respell.js';

/**
 * A view is one rendering of the input the detector matches against. Attackers hide the same words
 * in different ways, so each view undoes one kind of hiding; a rule fires if any view matches.
 */
export interface TextView {
  kind: 'text' | 'skeleton' | 'leet' | 'despaced' | 'respelled' | 'decoded';
  text: string;
}

export interface NormalisedUserText {
  /** The text to pass on to a model: NFKC, invisible and control characters removed, mixed-script words folded, whitespace collapsed. */
  text: string;
  /** Lower-case renderings used only for matching; never shown to a model. */
  views: TextView[];
  /** Base64 and hex runs that decoded to readable text. */
  decoded: DecodedPayload[];
}

// Zero-width and formatting characters that render as nothing: joiners, directional marks and
// overrides, word joiner, invisible operators, BOM, soft hyphen, Mongolian vowel separator, tag
// characters (used to smuggle ASCII invisibly) and variation selectors.
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class -- the class lists invisible code points on purpose
  /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\u{E0000}-\u{E007F}\u{E0100}-\u{E01EF}]/gu;
// C0 and C1 control characters except tab and newline; carriage returns become newlines first.
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

const LEET: Record<string, string> = { '1': 'i', '0': 'o', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i', '|': 'l' };

function collapseWhitespace(text: string): string {
  return text
    .replace(/[^\S\n]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/[^\S\n]{2,}/g, ' ')
    .replace(/[^\S\n\t]/g, ' ')
    .trim();
}

/**
 * Fold lookalike characters only inside words that mix Latin letters with them: that mix is the
 * signature of a homoglyph attack, while a word written wholly in Cyrillic or Greek is real
 * language and is passed to the model unchanged.
 */
function foldMixedScriptWords(text: string): string {
  return text.replace(/[\p{L}\p{M}\p{N}]+/gu, (word) => (/[A-Za-z]/.test(word) && hasConfusable(word) ? foldConfusables(word) : word));
}

/** Leetspeak folding, only inside tokens that also hold a letter so plain numbers stay numbers. */
function foldLeet(text: string): string {
  return text.replace(/[\p{L}0-9@$!|]+/gu, (token) => {
    if (!/\p{L}/u.test(token)) return token;
    // "!" and "|" only fold between letters ("h!dden", "ru|es"); at the end they are punctuation.
    return token.replace(/[0-9@$!|]/g, (ch, offset: number) => {
      if ((ch === '!' || ch === '|') && (offset === 0 || offset === token.length - 1)) return ch;
      return LEET[ch] ?? ch;
    });
  });
}

/**
 * Join letters spaced out to dodge word matching ("i g n o r e", "i.g.n.o.r.e", "i-g-n-o-r-e").
 * A run needs at least four single letters; a wider gap or other punctuation ends a word.
 */
function joinSpacedLetters(text: string): string {
  return text
    .replace(/(?<![\p{L}\p{N}])(?:\p{L}[ .\-_*]){3,}\p{L}(?![\p{L}\p{N}])/gu, (run) => run.replace(/[ .\-_*]/g, ''))
    .replace(/\s{2,}/g, ' ');
}

/**
 * Normalise user text before it is scored or sent to a model. Returns the cleaned text plus the
 * matching views: confusables folded everywhere (the skeleton), leetspeak folded, spaced-out letters
 * joined, and any base64 or hex payloads decoded and normalised the same way.
 */
export function normaliseUserText(input: string): NormalisedUserText {
  const cleaned = collapseWhitespace(input.replace(/\r\n?/g, '\n').normalize('NFKC').replace(INVISIBLE, '').replace(CONTROL, ''));
  const text = foldMixedScriptWords(cleaned);
  const skeleton = foldConfusables(cleaned).toLowerCase();
  const views: TextView[] = [
    { kind: 'text', text: cleaned.toLowerCase() },
    { kind: 'skeleton', text: skeleton },
  ];
  const leet = foldLeet(skeleton);
  if (leet !== skeleton) views.push({ kind: 'leet', text: leet });
  const despaced = joinSpacedLetters(leet);
  if (despaced !== leet) views.push({ kind: 'despaced', text: despaced });
  const respelled = respellTriggerWords(despaced);
  if (respelled !== despaced) views.push({ kind: 'respelled', text: respelled });

  // Decoding runs on the cleaned text (case matters for base64), and each payload gets the same
  // folding so an encoded homoglyph or leetspeak payload is still seen.
  const decoded = decodeEmbeddedPayloads(cleaned);
  for (const payload of decoded) views.push({ kind: 'decoded', text: matchingForm(payload.text) });
  // Base64 wrapped over several lines decodes line by line; the joined view reads it as one.
  if (decoded.length > 1) views.push({ kind: 'decoded', text: matchingForm(decoded.map((d) => d.text).join('')) });
  return { text, views, decoded };
}

function matchingForm(text: string): string {
  const cleaned = collapseWhitespace(text.normalize('NFKC').replace(INVISIBLE, '').replace(CONTROL, ''));
  return respellTriggerWords(joinSpacedLetters(foldLeet(foldConfusables(cleaned).toLowerCase())));
}
