import { z } from 'zod';

/**
 * Every model output is parsed by one of these schemas (P1-4) before anything uses it. Bounds are
 * deliberately tight: an output outside them is treated as invalid, retried once with the error,
 * and then replaced by the task's safe fallback.
 */

const text = (max: number) => z.string().trim().min(1).max(max);

export const EventAnalysisSchema = z.object({
  summary: text(1_200),
  significance: z.number().min(0).max(1),
  impact: z.object({ short: text(600), medium: text(600), long: text(600) }),
});
export type EventAnalysis = z.infer<typeof EventAnalysisSchema>;

export const MappingAssistSchema = z.object({
  mappings: z
    .array(
      z.object({
        signpost_code: z.string().regex(/^[a-z0-9_]{2,64}$/),
        value: z.number().finite(),
        confidence: z.number().min(0).max(1),
        rationale: text(500),
      }),
    )
    .max(5),
});
export type MappingAssist = z.infer<typeof MappingAssistSchema>;

export const WeeklyDigestSchema = z.object({
  headline: text(200),
  summary: text(2_000),
  highlights: z.array(z.object({ event_id: z.number().int().positive(), note: text(400) })).max(10),
});
export type WeeklyDigest = z.infer<typeof WeeklyDigestSchema>;

/** What is stored in events.analysis when more than one model analysed the event. */
export const ConsensusSchema = EventAnalysisSchema.extend({
  method: z.literal('consensus'),
  agreement: z.number().min(0).max(1),
  models: z.array(z.object({ provider: z.string(), model: z.string(), analysis: EventAnalysisSchema })).min(2),
});
export type Consensus = z.infer<typeof ConsensusSchema>;

/** A chat answer: the text, and the numbers of the retrieved sources it cites. */
export const ChatAnswerSchema = z.object({
  answer: text(6_000),
  citations: z.array(z.number().int().min(1)).max(20),
});
export type ChatAnswer = z.infer<typeof ChatAnswerSchema>;

/** A model's JSON reply: tolerates code fences and prose around one object, nothing else. */
export function parseModelJson(raw: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(raw);
  const body = (fenced ? fenced[1]! : raw).trim();
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  if (start === -1 || end < start) throw new SyntaxError('the reply contains no JSON object');
  return JSON.parse(body.slice(start, end + 1));
}

/** The validation error in a few lines a model can act on. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 6)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}
