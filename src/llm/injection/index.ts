export { normaliseUserText, type NormalisedUserText, type TextView } from './normalise.js';
export { scoreInjection, INJECTION_THRESHOLD, type InjectionMatch, type InjectionScore } from './score.js';
export { wrapRetrievedDocument, formatRetrievedSources, SYSTEM_PROMPT_GUARD, SOURCES_PREAMBLE, type RetrievedDocument } from './wrap.js';
export type { DecodedPayload } from './encoded.js';
export { runDetector, type LabelledPrompt, type DetectionRun, type RateBySource } from './evaluate.js';
