import { normaliseUserText, type NormalisedUserText, type TextView } from './normalise.js';
import { PATTERN_RULES } from './rules.js';

export interface InjectionMatch {
  rule: string;
  weight: number;
}

export interface InjectionScore {
  /** 0..1: the chance-like combination of every matched rule's weight. */
  score: number;
  suspicious: boolean;
  matches: InjectionMatch[];
}

/**
 * At or above this score a message is refused. One strong rule (weight >= 0.5) is enough; weak
 * signals need company (two 0.3 rules give 0.51).
 */
export const INJECTION_THRESHOLD = 0.5;

/** Views in which a match means the text was disguised (a trigger hidden from plain reading). */
const DISGUISED_VIEWS = new Set<TextView['kind']>(['skeleton', 'leet', 'despaced', 'decoded']);

/**
 * Vocabulary of jailbreak templates. No single cue means much, but long in-the-wild jailbreaks use
 * many at once while ordinary prompts, even role-play requests, rarely use more than two. Cues
 * about how "you" must behave count fully; cues that are ordinary words in questions about AI
 * (ChatGPT, policies, prompts, harmful content) count half, so a long question about AI safety
 * does not add up to a jailbreak.
 */
const BEHAVIOUR_CUES: RegExp[] = [
  /\bfrom (?:now|this point|this moment)\b/u,
  /\bno matter (?:what|how)\b/u,
  /\b(?:regardless|irrespective) of\b/u,
  /\b(?:answer|respond to|reply to) (?:any|every|all)\b/u,
  /\bsimulat(?:e|ion|ing)\b/u,
  /\bpersona\b/u,
  /\byou (?:will|must|shall|should) (?:always|never)\b/u,
  /\b(?:disclaimers?|warnings?)\b/u,
  /\b(?:swear|curse|profanity|cuss|vulgar|obscen)/u,
  /\bopinions?\b/u,
  /\bhypothetical/u,
  /\b(?:pretend|roleplay|role-play|role play|act as|in character)\b/u,
  /\bi will (?:ask|give|provide|say|type)\b|\bwhen i (?:ask|say|type|give|tell)\b/u,
  /\byou are (?:going to|about to)\b/u,
  /\b(?:i'?m sorry|i can'?t|i cannot)\b/u,
  /\b(?:fictional|fiction|imaginary)\b/u,
  /\b(?:if you understand|confirm|acknowledge)\b/u,
];
const TOPIC_CUES: RegExp[] = [
  /\bas an ai\b|\blanguage model\b/u,
  /\b(?:illegal|unethical|immoral|harmful|offensive|explicit|nsfw|inappropriate)\b/u,
  /\b(?:chatgpt|openai|gpt)\b/u,
  /\b(?:ethic|moral)/u,
  /\b(?:censor|filter)/u,
  /\b(?:rules?|guidelines|polic(?:y|ies))\b/u,
  /\bprompts?\b/u,
  /\bresponses?\b/u,
  /\b(?:restrict|limitation|boundar)/u,
];

const AMORAL_WORDS =
  /\b(?:uncensored|unfiltered|unrestricted|unrestrained|amoral|immoral|unethical|unhinged|lawless|nonmoral|unbound|unlimited)\b/gu;

/** Below this length a text is a question, not a template; the cue count is not used. */
const TEMPLATE_MIN_LENGTH = 200;

/**
 * Letters-only forms of the strongest phrases, for text whose word boundaries were lost when
 * spaced-out letters were joined ("i g n o r e p r e v i o u s" becomes "ignoreprevious").
 */
const COMPACT_PHRASES =
  /(?:ignore|disregard|forget|override|bypass)(?:all|any|every|the|your|my|of)*(?:previous|prior|above|earlier|preceding|initial|original|system)?(?:instructions?|directions?|rules|prompts?|guidelines|everything)|(?:previous|prior|initial|original|hidden|secret)(?:instructions?|prompts?|directions?)|systemprompt|doanythingnow|developermode|(?:reveal|tell|give|show|print|say|whatis)(?:me|us)?(?:the|your)(?:password|secret|systemprompt|instructions)|jailbr(?:ea|o)k|nolongerbound|withoutanyrestrictions/u;

function combine(weights: number[]): number {
  return 1 - weights.reduce((rest, w) => rest * (1 - w), 1);
}

/**
 * Score user text for prompt injection. Every rule runs over every view of the normalised text;
 * a rule counts once. Heuristics add weight for disguise (a trigger visible only after folding or
 * decoding) and for long role-play scaffolding aimed at the model.
 */
export function scoreInjection(input: string | NormalisedUserText): InjectionScore {
  const normalised = typeof input === 'string' ? normaliseUserText(input) : input;
  const matches: InjectionMatch[] = [];
  let disguised = false;
  let decodedMatch = false;

  // Case-sensitive rules (persona names such as DAN) mean nothing in text typed in capitals.
  const letters = normalised.text.replace(/[^\p{L}]/gu, '');
  const shouting = letters.length >= 8 && letters.replace(/[^\p{Lu}]/gu, '').length / letters.length > 0.6;

  for (const rule of PATTERN_RULES) {
    if (rule.caseSensitive && shouting) continue;
    const candidates = rule.caseSensitive ? [{ kind: 'text' as const, text: normalised.text }] : normalised.views;
    const hits = candidates.filter((view) => rule.pattern.test(view.text));
    if (hits.length === 0) continue;
    matches.push({ rule: rule.id, weight: rule.weight });
    const plain = hits.some((view) => view.kind === 'text' || view.kind === 'respelled');
    if (!plain && rule.weight >= 0.4 && hits.some((view) => DISGUISED_VIEWS.has(view.kind))) disguised = true;
    if (hits.some((view) => view.kind === 'decoded')) decodedMatch = true;
  }

  const spacedOut = normalised.views.filter((view) => view.kind === 'despaced' || view.kind === 'decoded');
  if (spacedOut.some((view) => COMPACT_PHRASES.test(view.text.replace(/[^a-z]/g, '')))) {
    matches.push({ rule: 'obfuscation.compact_phrase', weight: 0.85 });
    disguised = true;
  }
  if (disguised) {
    // Hiding a trigger word behind homoglyphs, leetspeak, spacing or zero-width characters has no
    // innocent reason in a question about AI progress.
    matches.push({ rule: 'heuristic.disguised_trigger', weight: 0.5 });
  }
  if (decodedMatch) {
    // An encoded run whose decoding matches a rule is an instruction smuggled past plain reading.
    matches.push({ rule: 'heuristic.encoded_payload', weight: 0.6 });
  }

  const plain = normalised.views[0]?.text ?? '';
  const skeleton = normalised.views.find((view) => view.kind === 'skeleton')?.text ?? plain;
  if (/(?:[a-z][ .\-_*]){7,}[a-z]/u.test(skeleton)) {
    // Eight or more Latin letters spelled out one by one ("S a y t h a t"): a way to slip words
    // past matching, with no use in an honest question. Latin only: some scripts are written
    // with a space between characters.
    matches.push({ rule: 'heuristic.spaced_out_text', weight: 0.5 });
  }
  const amoral = new Set(plain.match(AMORAL_WORDS) ?? []);
  if (amoral.size >= 2) {
    // Personas are defined by stacking these ("amoral, unfiltered, uncensored"); one alone can be a
    // description, two different ones describe what the model is being asked to become.
    matches.push({ rule: 'heuristic.stacked_amoral_traits', weight: 0.35 });
  }
  if (plain.length >= TEMPLATE_MIN_LENGTH) {
    const cues = BEHAVIOUR_CUES.filter((cue) => cue.test(plain)).length + TOPIC_CUES.filter((cue) => cue.test(plain)).length / 2;
    // 3.5 cues blocks on its own (weight 0.5); benign prompts in the evaluation corpus stay below 3.
    if (cues >= 2.5) matches.push({ rule: 'heuristic.jailbreak_vocabulary', weight: Math.min(0.8, 0.2 * cues - 0.2) });
  }

  const score = Math.round(combine(matches.map((m) => m.weight)) * 1000) / 1000;
  return { score, suspicious: score >= INJECTION_THRESHOLD, matches };
}
