import type { z } from 'zod';
import type { CompletionRequest, CompletionResult, LlmClient } from './client.js';
import type { LlmMetrics } from './metrics.js';
import { describeIssues, parseModelJson } from './schemas.js';

export type ValidatedOutcome<T> =
  { ok: true; value: T; calls: CompletionResult[]; retried: boolean } | { ok: false; error: string; calls: CompletionResult[] };

function validate<S extends z.ZodType>(schema: S, raw: string): { ok: true; value: z.infer<S> } | { ok: false; error: string } {
  let data: unknown;
  try {
    data = parseModelJson(raw);
  } catch (err) {
    return { ok: false, error: `not valid JSON: ${(err as Error).message}` };
  }
  const parsed = schema.safeParse(data);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: describeIssues(parsed.error) };
}

/**
 * A JSON completion checked against its schema (P1-4). An invalid reply gets exactly one retry that
 * shows the model its reply and the validation error; a second invalid reply returns `ok: false`
 * and the caller uses its safe fallback. Each attempt is a separate, budgeted call.
 */
export async function completeValidated<S extends z.ZodType>(
  client: LlmClient,
  schema: S,
  req: CompletionRequest,
  metrics: LlmMetrics,
): Promise<ValidatedOutcome<z.infer<S>>> {
  const first = await client.complete({ ...req, json: true });
  const firstCheck = validate(schema, first.text);
  if (firstCheck.ok) return { ok: true, value: firstCheck.value, calls: [first], retried: false };

  const retryReq: CompletionRequest = {
    ...req,
    json: true,
    // Pin the provider that produced the reply being corrected.
    provider: first.provider,
    messages: [
      ...req.messages,
      { role: 'assistant', content: first.text.slice(0, 4_000) },
      {
        role: 'user',
        content: `Your reply was rejected by the validator: ${firstCheck.error}. Reply again with only the corrected JSON object.`,
      },
    ],
  };
  const second = await client.complete(retryReq);
  const secondCheck = validate(schema, second.text);
  metrics.invalidOutputs.inc({ task: req.task, outcome: secondCheck.ok ? 'fixed_by_retry' : 'fallback' });
  if (secondCheck.ok) return { ok: true, value: secondCheck.value, calls: [first, second], retried: true };
  return { ok: false, error: secondCheck.error, calls: [first, second] };
}
