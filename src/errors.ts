/**
 * The one error hierarchy. Services throw these; the HTTP error handler turns them into RFC 9457
 * problem documents and the CLI into one-line messages. Anything else is an internal error (500)
 * whose details are logged, never returned.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = new.target.name;
  }

  /** Short slug used in the problem `type` URI. */
  get slug(): string {
    return this.title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  }
}

export class BadRequestError extends AppError {
  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super(400, 'Bad Request', detail, extra);
  }
}

export class UnauthorizedError extends AppError {
  constructor(detail = 'an API key is required (X-API-Key header)') {
    super(401, 'Unauthorized', detail);
  }
}

export class ForbiddenError extends AppError {
  constructor(detail = 'this API key may not do that') {
    super(403, 'Forbidden', detail);
  }
}

export class NotFoundError extends AppError {
  constructor(detail: string) {
    super(404, 'Not Found', detail);
  }
}

export class ConflictError extends AppError {
  constructor(detail: string) {
    super(409, 'Conflict', detail);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(detail: string) {
    super(413, 'Payload Too Large', detail);
  }
}

export class RateLimitedError extends AppError {
  constructor(
    detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'Too Many Requests', detail);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super(503, 'Service Unavailable', detail, extra);
  }
}

/** User text that scored as a prompt-injection attempt (P0-6); refused before any retrieval or model cost. */
export class SuspiciousInputError extends BadRequestError {
  constructor(readonly rules: string[]) {
    super('the message was rejected: suspicious patterns were found (possible prompt injection)', { reason: 'prompt_injection' });
  }
}

/** The day's LLM budget cannot fit this call (P0-5). */
export class BudgetExhaustedError extends ServiceUnavailableError {
  constructor(detail = 'the daily LLM budget is exhausted; model calls resume at 00:00 UTC') {
    super(detail, { reason: 'llm_budget_exhausted' });
  }
}

/** The budget store (Redis or the database) did not answer, so spend cannot be verified: fail closed. */
export class BudgetUnavailableError extends ServiceUnavailableError {
  constructor(detail = 'the LLM budget cannot be verified right now (budget store unreachable); model calls are refused') {
    super(detail, { reason: 'llm_budget_unavailable' });
  }
}
