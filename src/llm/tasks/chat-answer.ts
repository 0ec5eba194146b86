import { SYSTEM_PROMPT_GUARD, formatRetrievedSources } from '../injection/index.js';

export interface PromptSource {
  title: string;
  url: string;
  text: string;
  kind: 'event' | 'signpost';
  publisher?: string;
  tier?: string;
  published_at?: string;
}

const ROLE = [
  'You are the evidence assistant of the AGI Tracker, a service that tracks measurable progress toward AGI.',
  'Answer the question using only the numbered sources below. Cite every claim with its source number in square brackets, e.g. [2].',
  'If the sources do not answer the question, say so plainly. Do not invent numbers, dates or sources.',
  'Be concise: at most 180 words. Write plain text (no HTML).',
].join('\n');

const JSON_FORMAT =
  'Reply with one JSON object: {"answer": string, "citations": number[]} where citations lists the numbers of the sources the answer uses.';

/**
 * The chat system prompt: the security rules first, then the task, then the retrieved sources framed
 * as quoted data (wrapRetrievedDocument escapes them and marks suspicious ones).
 */
export function chatSystemPrompt(sources: PromptSource[], format: 'json' | 'text'): string {
  const docs = sources.map((s, i) => {
    const meta = [s.kind === 'event' ? `tier ${s.tier ?? '?'}` : 'signpost definition', s.publisher, s.published_at]
      .filter(Boolean)
      .join(', ');
    return { id: i + 1, title: `${s.title} (${meta})`, text: s.text, url: s.url };
  });
  return [SYSTEM_PROMPT_GUARD, ROLE, format === 'json' ? JSON_FORMAT : '', formatRetrievedSources(docs)].filter(Boolean).join('\n\n');
}
