import type { Metric } from '../catalog.js';
import type { Sentence } from './text.js';

/**
 * Numbers with units. A number counts only with a unit the extractor understands (a percent sign,
 * FLOP, an accelerator name, GW, hours) or, for a score written as a decimal, with a scoring verb in
 * front of it: a bare "2025", "GPT-4" or "Claude 3.5" is never a quantity.
 */
export type QuantityKind = 'percent' | 'decimal' | 'flop' | 'accelerators' | 'power' | 'duration';

/** The metric unit each kind of quantity is converted to. */
export const KIND_UNIT: Readonly<Record<QuantityKind, Metric['unit']>> = {
  percent: 'fraction',
  decimal: 'fraction',
  flop: 'flop',
  accelerators: 'h100e',
  power: 'gw',
  duration: 'hours',
};

export interface Quantity {
  kind: QuantityKind;
  /** Already in the metric unit: fraction, FLOP, H100-equivalents, GW or hours. */
  value: number;
  /** One unit of the last digit written, in the same unit: "72%" → 0.01, "72.3%" → 0.001, "1e26" → 1e26. */
  resolution: number;
  start: number;
  end: number;
  /** For accelerator counts: false when the text says only "GPUs", so the H100 equivalence is assumed. */
  namedChip?: boolean;
  /** For percentages: "X% of …" names a share, which only a metric named right after "of" makes a score. */
  shareOf?: boolean;
}

/**
 * H100-equivalents per accelerator, from dense BF16 throughput on NVIDIA's data sheets (A100 312,
 * H100/H200/H800 989, B200 2,250, GB200 2,500 TFLOP/s per GPU). H20 is a cut-down H100 (148).
 */
export const H100_EQUIVALENTS: Readonly<Record<string, number>> = {
  A100: 0.32,
  H20: 0.15,
  H100: 1,
  H200: 1,
  H800: 1,
  B200: 2.27,
  B300: 2.27,
  GB200: 2.5,
  GB300: 2.5,
  // Families: Hopper is H100/H200; Blackwell is taken at the B200 figure, the lower of its parts.
  Hopper: 1,
  Blackwell: 2.27,
};

const NUMBER = /(?<![\w.^@$€£¥-])(?<!\d,)(\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.(\d+))?(?!\.\d)/g;
const POWER_OF_TEN = /\s*(?:\^|\*\*)\s*\+?(\d{1,2})(?!\d)|([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2})/y;
const E_NOTATION = /[eE]\+?(\d{1,2})(?![\w])/y;
const TIMES_TEN = /\s*(?:x|×|\*|·)\s*10\s*(?:(?:\^|\*\*)\s*\+?(\d{1,2})(?!\d)|([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2}))/y;
const MULTIPLIER = /\s*(k|K|thousand|M|mn|million|B|bn|billion|trillion)(?![\w])/y;
const MULTIPLIER_EXPONENT: Record<string, number> = {
  k: 3,
  K: 3,
  thousand: 3,
  M: 6,
  mn: 6,
  million: 6,
  B: 9,
  bn: 9,
  billion: 9,
  trillion: 12,
};

const PERCENT = /\s*(?:%|percent\b|per\s+cent\b)/y;
// "FLOP/s", "FLOPS per second" and "petaflops" are rates of a machine, not the size of a training run.
const FLOP = /\s*(?:total\s+|training\s+)?(?:FLOPs?|FLOPS|flops?|floating[\s-]point\s+operations)(?![\w/])(?!\s*per\s+sec)/y;
const NAMED_ACCELERATOR =
  /\s*(?:(?:Nvidia|NVIDIA|AMD)(?:'s)?\s+)?(A100|H100|H200|H800|H20|B200|B300|GB200|GB300|Hopper|Blackwell)(?:[\s-]?(?:equivalents?|eq|e)\b)?s?(?:\s+(?:GPUs?|chips?|accelerators?))?(?![\w])/y;
const GENERIC_ACCELERATOR = /\s*-?\s*(?:(?:Nvidia|NVIDIA|AMD|AI)\s+)?(?:GPUs?|accelerators)(?![\w])/y;
const POWER = /\s*-?\s*(GW|MW|[Gg]igawatts?|[Mm]egawatts?)(?![\w])/y;
const DURATION = /\s*-?\s*(hours?|hrs?|minutes?|mins?|days?|weeks?)(?![\w])/y;
/**
 * Hours per unit. Days and weeks are working time, as in METR's time-horizon work (a month of work is
 * 167 hours there): a "one-day task" is a day of a professional's work, not 24 hours.
 */
const HOURS_PER: Readonly<Record<string, number>> = { h: 1, m: 1 / 60, d: 8, w: 40 };
/** "doubles every 7 days" is a rate, not a length. */
const PERIOD_BEFORE = /\b(?:every|each|per)\s*$/i;
const EXTRA_MINUTES = /\s*(?:and\s+)?(\d{1,2})\s*(?:minutes?|mins?)(?![\w])/y;
const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** What stands right before a score given as a decimal ("scores 0.81 on GPQA", "accuracy of 0.81"). */
const DECIMAL_SCORE_LEAD = /\b(?:scor\w*|achiev\w*|reach\w*|hit\w*|gets?|got|attain\w*|accuracy|pass@\d+)(?:\s+(?:of|at|an?))*\s*$/i;

/** A percentage that describes a change, a share, a price or a probability rather than a score. */
const PERCENT_CHANGE_BEFORE =
  /(?:\bby|\bup|\bdown|\+|\bimprov\w*(?:\s+of)?|\bincreas\w*(?:\s+of)?|\bgain\w*(?:\s+of)?|\bboost\w*(?:\s+of)?|\bjump\w*(?:\s+of)?|\brise\s+of|\bdrop\w*(?:\s+of)?|\bdecreas\w*(?:\s+of)?|\breduc\w*(?:\s+of)?|\bcut\w*(?:\s+of)?|\bdiscount\w*(?:\s+of)?|\bgrowth\s+of|\b(?:rose|rises|risen|grew|grows|climbed|climbs|fell|falls|soared|surged|declined|slipped|gained)|\btop|\bbottom)\s*~?$/i;
const PERCENT_NOT_A_SCORE_AFTER =
  /^\s*(?:percentage\s+points?|pp\b|points?\b|pts\b|(?:relative\s+)?(?:improvement|increase|gain|boost|jump|rise|growth|drop|decrease|reduction|decline|discount|off\b|cheaper|faster|slower|more\b|less\b|fewer|higher|lower|better|worse|smaller|larger|bigger)|year[\s-]over[\s-]year|yoy\b|annually|a\s+year|per\s+(?:year|month)|(?:confidence|chance|probability|likelihood|likely|odds)\b|(?:human|expert|PhD)[\s-](?:level|baseline|performance|accuracy|average|score))/;
/** "10% of workers": a share of something; it is a score only when a metric is named right after "of". */
const SHARE_OF_AFTER =
  /^\s*of\b(?!\s+(?:the\s+)?(?:[\w-]+\s+){0,2}(?:tasks?|problems?|questions?|issues?|instances?|puzzles?|items?|test\s+cases?|challenges?|benchmark)\b)/i;
/** Scores of people, not of the system the text is about. */
const HUMAN_SCORE_BEFORE =
  /(?:\b(?:humans?|human\s+experts?|experts?|PhDs?|people|crowd\s*workers?|non-experts?|annotators?)\s+(?:[\w-]+\s+){0,4}(?:scor\w*|achiev\w*|reach\w*|gets?|got|averag\w*|answer\w*|complet\w*|solv\w*|succeed\w*|perform\w*)\b[^,;()\d%]*|\b(?:humans?|experts?|PhDs?)\s*:?|\b(?:human|expert|PhD)[\s-]?(?:level\s+)?(?:baseline|performance|accuracy|average|score)s?\s*(?:of|is|at|was|:)?\s*~?)$/i;
/** An earlier value that the text compares against ("up from 49%", "compared with 1e25 FLOP"). */
const EARLIER_VALUE_BEFORE =
  /(?:\b(?:up|down|rose|risen|rising|grew|grown|climbed|jumped|increased|improved)\s+from|\bcompared\s+(?:to|with)|\bvs\.?|\bversus|\bformerly|\bprevious(?:ly)?(?:\s+(?:best|record|high|score|state[\s-]of[\s-]the[\s-]art|SOTA|model))?(?:\s+(?:of|at|was|:))?|\bprior(?:\s+(?:best|record|score|SOTA))?(?:\s+(?:of|at|:))?|\bbaseline\s+of)\s*~?$/i;
/** An upper bound ("every model scores under 10%") is not a measurement. */
const UPPER_BOUND_BEFORE = /\b(?:under|below|less\s+than|fewer\s+than|lower\s+than|at\s+most|no\s+more\s+than)\s*~?$/i;
const MONEY_BEFORE = /(?:[$€£¥]|\b(?:USD|US\$|EUR|GBP))\s*$/;
const YEAR_LEAD = /(?:^|\b(?:in|by|since|from|until|through|of|early|late|mid|before|after|circa|to)\s+)$/i;

function parseNumber(digits: string): string {
  return digits.replace(/,/g, '');
}

function superscriptToDigits(s: string): string {
  return [...s].map((c) => String(SUPERSCRIPT.indexOf(c))).join('');
}

/** `mantissa × 10^exponent`, computed from the decimal string so 72.3% becomes exactly 0.723. */
function scaled(mantissa: string, exponent: number): number {
  return Number.parseFloat(`${mantissa}e${exponent}`);
}

function stickyMatch(re: RegExp, text: string, at: number, limit: number): RegExpExecArray | null {
  re.lastIndex = at;
  const m = re.exec(text);
  return m && re.lastIndex <= limit ? m : null;
}

/** "from 49% to 72%": the first number is the earlier value. */
const FROM_BEFORE = /\bfrom\s*~?$/i;
const TO_AFTER = /^\s*(?:to|->)\s/i;

/** Every quantity in one sentence, after the false-positive guards. */
export function findQuantities(text: string, sentence: Sentence): Quantity[] {
  const found: Quantity[] = [];
  const limit = sentence.end;
  NUMBER.lastIndex = sentence.start;
  for (let m = NUMBER.exec(text); m && m.index < limit; m = NUMBER.exec(text)) {
    const q = readQuantity(text, sentence, m);
    if (q && FROM_BEFORE.test(text.slice(sentence.start, q.start)) && TO_AFTER.test(text.slice(q.end, limit))) {
      NUMBER.lastIndex = q.end;
    } else if (q) {
      found.push(q);
      NUMBER.lastIndex = Math.max(NUMBER.lastIndex, q.end);
    }
  }
  return found;
}

function readQuantity(text: string, sentence: Sentence, m: RegExpExecArray): Quantity | null {
  const start = m.index;
  const limit = sentence.end;
  const integer = parseNumber(m[1] ?? '');
  const fraction = m[2];
  const decimals = fraction?.length ?? 0;
  let mantissa = fraction === undefined ? integer : `${integer}.${fraction}`;
  let exponent = 0;
  // The power of ten of the last digit written, before any unit conversion.
  let lastDigit = -decimals;
  let pos = start + m[0].length;
  let scaledByWord = false;

  const power = integer === '10' && fraction === undefined ? stickyMatch(POWER_OF_TEN, text, pos, limit) : null;
  const eNotation = power ? null : stickyMatch(E_NOTATION, text, pos, limit);
  const timesTen = power || eNotation ? null : stickyMatch(TIMES_TEN, text, pos, limit);
  if (power) {
    mantissa = '1';
    exponent = Number(power[1] ?? superscriptToDigits(power[2] ?? ''));
    lastDigit = exponent;
    pos = POWER_OF_TEN.lastIndex;
  } else if (eNotation ?? timesTen) {
    const e = (eNotation ?? timesTen) as RegExpExecArray;
    exponent = Number(e[1] ?? superscriptToDigits(e[2] ?? ''));
    lastDigit = exponent - decimals;
    pos = (eNotation ? E_NOTATION : TIMES_TEN).lastIndex;
  } else {
    const word = stickyMatch(MULTIPLIER, text, pos, limit);
    if (word) {
      exponent = MULTIPLIER_EXPONENT[word[1] ?? ''] ?? 0;
      lastDigit = exponent - decimals;
      pos = MULTIPLIER.lastIndex;
      scaledByWord = true;
    }
  }
  const plain = exponent === 0 && !scaledByWord;
  const before = text.slice(sentence.start, start);
  if (MONEY_BEFORE.test(before) || EARLIER_VALUE_BEFORE.test(before) || UPPER_BOUND_BEFORE.test(before)) return null;

  const make = (kind: QuantityKind, value: number, resolution: number, end: number, extra: Partial<Quantity> = {}): Quantity => ({
    kind,
    value,
    resolution,
    start,
    end,
    ...extra,
  });

  const percent = plain ? stickyMatch(PERCENT, text, pos, limit) : null;
  if (percent) {
    const end = PERCENT.lastIndex;
    const value = scaled(mantissa, -2);
    if (value > 1 || isNotAScore(text, sentence, start, end)) return null;
    return make('percent', value, 10 ** (lastDigit - 2), end, { shareOf: SHARE_OF_AFTER.test(text.slice(end, limit)) });
  }

  const flop = stickyMatch(FLOP, text, pos, limit);
  if (flop) {
    const value = scaled(mantissa, exponent);
    // Below 1e18 FLOP a number is a machine's rate or a typo, not a training run.
    return value >= 1e18 ? make('flop', value, 10 ** lastDigit, FLOP.lastIndex) : null;
  }

  const looksLikeYear = plain && decimals === 0 && /^(19|20)\d\d$/.test(m[1] ?? '') && YEAR_LEAD.test(before);
  if (looksLikeYear) return null;

  const named = stickyMatch(NAMED_ACCELERATOR, text, pos, limit);
  const generic = named ? null : stickyMatch(GENERIC_ACCELERATOR, text, pos, limit);
  if (named ?? generic) {
    const factor = named ? (H100_EQUIVALENTS[named[1] ?? ''] ?? 1) : 1;
    const count = scaled(mantissa, exponent);
    // Fewer than a thousand accelerators is a server or a small cluster, never a frontier cluster.
    if (count < 1000) return null;
    const end = named ? NAMED_ACCELERATOR.lastIndex : GENERIC_ACCELERATOR.lastIndex;
    return make('accelerators', count * factor, 10 ** lastDigit * factor, end, { namedChip: Boolean(named) });
  }

  const watts = plain ? stickyMatch(POWER, text, pos, limit) : null;
  if (watts) {
    const mega = /^m/i.test(watts[1] ?? '');
    const value = scaled(mantissa, mega ? -3 : 0);
    return value >= 0.01 ? make('power', value, 10 ** (lastDigit - (mega ? 3 : 0)), POWER.lastIndex) : null;
  }

  const duration = plain && !PERIOD_BEFORE.test(before) ? stickyMatch(DURATION, text, pos, limit) : null;
  if (duration) {
    const perHour = HOURS_PER[(duration[1] ?? 'h').charAt(0).toLowerCase()] ?? 1;
    let value = Number(mantissa) * perHour;
    let resolution = 10 ** lastDigit * perHour;
    let end = DURATION.lastIndex;
    const minutes = perHour === 1 ? stickyMatch(EXTRA_MINUTES, text, end, limit) : null;
    if (minutes) {
      value += Number(minutes[1]) / 60;
      resolution = 1 / 60;
      end = EXTRA_MINUTES.lastIndex;
    }
    return make('duration', value, resolution, end);
  }

  if (plain && decimals > 0) {
    const value = Number(mantissa);
    if (value > 0 && value <= 1 && DECIMAL_SCORE_LEAD.test(before) && !HUMAN_SCORE_BEFORE.test(clauseBefore(text, sentence, start))) {
      return make('decimal', value, 10 ** lastDigit, start + m[0].length);
    }
  }
  return null;
}

/** The text from the start of the clause holding `offset` up to it. */
function clauseBefore(text: string, sentence: Sentence, offset: number): string {
  const breaks = sentence.clauseBreaks.filter((b) => b < offset);
  return text.slice(breaks.length > 0 ? (breaks[breaks.length - 1] ?? sentence.start) + 1 : sentence.start, offset);
}

function isNotAScore(text: string, sentence: Sentence, start: number, end: number): boolean {
  const before = text.slice(sentence.start, start);
  const after = text.slice(end, sentence.end);
  return (
    PERCENT_CHANGE_BEFORE.test(before) ||
    PERCENT_NOT_A_SCORE_AFTER.test(after) ||
    HUMAN_SCORE_BEFORE.test(clauseBefore(text, sentence, start))
  );
}
