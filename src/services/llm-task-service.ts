import type { Logger } from '../logger.js';
import type { Catalog } from '../domain/catalog.js';
import { initialObservationStatus } from '../domain/review-policy.js';
import type { AppStateRepository } from '../db/repositories/app-state-repository.js';
import type { LlmTaskRepository } from '../db/repositories/llm-task-repository.js';
import { BudgetExhaustedError, NotFoundError } from '../errors.js';
import { LlmUnavailableError, type LlmClient, type ProviderName } from '../llm/client.js';
import type { LlmMetrics } from '../llm/metrics.js';
import {
  ConsensusSchema,
  EventAnalysisSchema,
  MappingAssistSchema,
  WeeklyDigestSchema,
  type EventAnalysis,
  type WeeklyDigest,
} from '../llm/schemas.js';
import { completeValidated } from '../llm/validated-output.js';
import { buildConsensus, eventAnalysisPrompt, offlineAnalysis } from '../llm/tasks/event-analysis.js';
import { keepKnownHighlights, offlineDigest, weeklyDigestPrompt } from '../llm/tasks/weekly-digest.js';
import { checkMappings, mappingAssistPrompt } from '../llm/tasks/mapping-assist.js';
import { CacheTags, ledgerChangeTags } from './cache-tags.js';

export interface TaskOptions {
  requestId?: string;
}

export interface AnalyseOptions extends TaskOptions {
  /** Throw BudgetExhaustedError instead of storing the offline analysis (an admin asking for a model analysis now). */
  failOnBudget?: boolean;
}

export interface StoredDigest extends WeeklyDigest {
  method: 'llm' | 'offline';
  reason?: string;
  week_start: string;
  week_end: string;
  event_count: number;
  generated_at: string;
}

/** Offline analyses stored for these reasons are redone once a model is available again. */
const RETRYABLE_OFFLINE = ['no_provider', 'budget_exhausted', 'provider_error'];

function offlineReasonOf(err: unknown): string | undefined {
  if (err instanceof BudgetExhaustedError) return 'budget_exhausted';
  if (err instanceof LlmUnavailableError) return 'provider_error';
  return undefined;
}

/**
 * The background LLM tasks (SPEC section 7), each budgeted through the one client and validated by
 * its schema, each with an offline result when no model can be used. Jobs call these methods.
 */
export class LlmTaskService {
  constructor(
    private readonly deps: {
      client: LlmClient;
      repo: LlmTaskRepository;
      appState: AppStateRepository;
      metrics: LlmMetrics;
      catalog: () => Catalog;
      log: Logger;
      /** Evicts response-cache tags (an event page after its analysis changed, lists after new links). */
      invalidate: (tags: string[]) => Promise<void>;
      /** Recomputes snapshots from a day on, after links that move scores were approved. */
      recomputeFrom: (day: string) => Promise<void>;
    },
  ) {}

  /**
   * Analyses one event (summary, significance 0..1, short/medium/long impact) and stores it in
   * events.analysis. With two providers both analyse it and the consensus, with their agreement, is
   * stored. Invalid output twice, no provider, or no budget: the offline analysis is stored instead.
   * A budget that cannot be verified throws (fail closed; the job retries later).
   */
  async analyseEvent(eventId: number, opts: AnalyseOptions = {}): Promise<Record<string, unknown>> {
    const { client, repo } = this.deps;
    const event = await repo.event(eventId);
    if (!event) throw new NotFoundError(`no event with id ${eventId}`);
    let stored: Record<string, unknown>;
    if (!client.enabled) stored = offlineAnalysis(event, 'no_provider');
    else {
      const prompt = eventAnalysisPrompt(event);
      const results: Array<{ provider: ProviderName; model: string; analysis: EventAnalysis }> = [];
      let failure: string | undefined;
      for (const provider of client.providers) {
        try {
          const outcome = await completeValidated(
            client,
            EventAnalysisSchema,
            { task: 'event_analysis', ...prompt, provider, requestId: opts.requestId },
            this.deps.metrics,
          );
          if (outcome.ok) results.push({ provider, model: client.modelOf(provider), analysis: outcome.value });
          else failure = 'invalid_model_output';
        } catch (err) {
          const reason = offlineReasonOf(err);
          if (!reason || (opts.failOnBudget && err instanceof BudgetExhaustedError)) throw err;
          failure = reason;
          if (reason === 'budget_exhausted') break;
        }
      }
      const analysedAt = new Date().toISOString();
      if (results.length >= 2) {
        stored = { ...ConsensusSchema.parse(buildConsensus(results)), analysed_at: analysedAt };
      } else if (results.length === 1) {
        const [r] = results as [(typeof results)[0]];
        stored = {
          method: 'llm',
          provider: r.provider,
          model: r.model,
          ...r.analysis,
          analysed_at: analysedAt,
          ...(failure ? { note: `second provider: ${failure}` } : {}),
        };
      } else stored = offlineAnalysis(event, failure ?? 'provider_error');
    }
    await repo.setAnalysis(eventId, stored);
    await this.deps.invalidate([CacheTags.event(eventId)]);
    return stored;
  }

  /** The analysis job: events never analysed (or analysed offline for a reason that has passed), newest first. */
  async analysePending(opts: { limit?: number } & TaskOptions = {}): Promise<{ analysed: number; offline: number }> {
    const ids = await this.deps.repo.eventsNeedingAnalysis(opts.limit ?? 20, this.deps.client.enabled ? RETRYABLE_OFFLINE : []);
    let offline = 0;
    for (const id of ids) {
      const a = await this.analyseEvent(id, opts);
      if (a.method === 'offline') offline++;
      // No point asking again today once the budget has run out.
      if (a.reason === 'budget_exhausted') break;
    }
    return { analysed: ids.length, offline };
  }

  /** The weekly digest of the seven days before `until` (default now), stored under `weekly_digest:latest`. */
  async weeklyDigest(opts: { until?: Date } & TaskOptions = {}): Promise<StoredDigest> {
    const until = opts.until ?? new Date();
    const since = new Date(until.getTime() - 7 * 86_400_000);
    const events = await this.deps.repo.eventsPublishedBetween(since, until, 40);
    const weekStart = since.toISOString().slice(0, 10);
    const weekEnd = until.toISOString().slice(0, 10);
    let digest: WeeklyDigest | undefined;
    let reason: string | undefined;
    if (events.length === 0) reason = 'no_events';
    else if (!this.deps.client.enabled) reason = 'no_provider';
    else {
      try {
        const outcome = await completeValidated(
          this.deps.client,
          WeeklyDigestSchema,
          { task: 'weekly_digest', ...weeklyDigestPrompt(events), requestId: opts.requestId },
          this.deps.metrics,
        );
        if (outcome.ok) {
          const { digest: kept, dropped } = keepKnownHighlights(outcome.value, new Set(events.map((e) => e.id)));
          if (dropped.length) this.deps.log.warn({ dropped }, 'weekly digest named events outside the week; dropped');
          digest = kept;
        } else reason = 'invalid_model_output';
      } catch (err) {
        reason = offlineReasonOf(err);
        if (!reason) throw err;
      }
    }
    const stored: StoredDigest = {
      ...(digest ?? offlineDigest(events, weekStart, weekEnd)),
      method: digest ? 'llm' : 'offline',
      ...(reason ? { reason } : {}),
      week_start: weekStart,
      week_end: weekEnd,
      event_count: events.length,
      generated_at: new Date().toISOString(),
    };
    await this.deps.appState.set(`weekly_digest:${weekEnd}`, stored as unknown as Record<string, unknown>);
    await this.deps.appState.set('weekly_digest:latest', stored as unknown as Record<string, unknown>);
    return stored;
  }

  async latestDigest(): Promise<StoredDigest | undefined> {
    return this.deps.appState.get<StoredDigest & Record<string, unknown>>('weekly_digest:latest');
  }

  /**
   * Mapping assist: events the extraction rules left without any observation get one model pass
   * proposing signpost values. Proposals are checked against the catalog and stored as `llm`
   * observations whose status comes from the review policy (pending unless confident and A/B).
   * Each event is offered once (a high-water mark in app_state); without a model this does nothing.
   */
  async mapUnmapped(
    opts: { limit?: number } & TaskOptions = {},
  ): Promise<{ events: number; proposed: number; stored: number; dropped: number }> {
    const { client, repo, appState } = this.deps;
    const summary = { events: 0, proposed: 0, stored: 0, dropped: 0 };
    if (!client.enabled) return summary;
    const mark = (await appState.get<{ last_event_id: number }>('mapping_assist'))?.last_event_id ?? 0;
    const events = await repo.unmappedEventsAfter(mark, opts.limit ?? 20);
    const catalog = this.deps.catalog();
    let last = mark;
    const changed = { eventIds: new Set<number>(), signposts: new Set<string>(), approvedFrom: undefined as string | undefined };
    for (const event of events) {
      let outcome;
      try {
        outcome = await completeValidated(
          client,
          MappingAssistSchema,
          { task: 'mapping_assist', ...mappingAssistPrompt(event, catalog), requestId: opts.requestId },
          this.deps.metrics,
        );
      } catch (err) {
        if (offlineReasonOf(err)) break; // try this event again on the next run
        throw err;
      }
      last = event.id;
      summary.events++;
      if (!outcome.ok) continue;
      const { kept, dropped } = checkMappings(outcome.value, catalog);
      summary.proposed += outcome.value.mappings.length;
      summary.dropped += dropped.length;
      const rows = kept.map((m) => ({
        event_id: event.id,
        signpost_code: m.signpost_code,
        value: m.value,
        confidence: m.confidence,
        method: 'llm' as const,
        rationale: `LLM mapping assist: ${m.rationale}`.slice(0, 1_000),
        status: initialObservationStatus('llm', m.confidence, event.tier),
      }));
      const inserted = await repo.insertObservations(rows);
      summary.stored += inserted;
      if (inserted > 0) {
        changed.eventIds.add(event.id);
        for (const r of rows) changed.signposts.add(r.signpost_code);
        const day = event.published_at.toISOString().slice(0, 10);
        if (rows.some((r) => r.status === 'approved') && (!changed.approvedFrom || day < changed.approvedFrom)) changed.approvedFrom = day;
      }
    }
    if (last > mark) await appState.set('mapping_assist', { last_event_id: last });
    if (changed.eventIds.size > 0) {
      const scoring = changed.approvedFrom !== undefined;
      if (scoring) await this.deps.recomputeFrom(changed.approvedFrom!);
      await this.deps.invalidate(
        ledgerChangeTags({ eventIds: [...changed.eventIds], signposts: [...changed.signposts], scoring, changelog: scoring }),
      );
    }
    return summary;
  }
}
