import { isDeepStrictEqual } from 'node:util';
import type { Preset } from '../domain/catalog.js';
import { METHODOLOGY_VERSION, type IndexResult } from '../domain/methodology.js';
import type { ChangelogRepository, ChangelogWrite } from '../db/repositories/changelog-repository.js';
import type { SnapshotRepository, SnapshotWrite } from '../db/repositories/snapshot-repository.js';
import type { ChangelogRow } from '../db/schema.js';
import { BadRequestError } from '../errors.js';
import { addDays, daysBetween, type IndexService } from './index-service.js';

/** A move of the composite of at least this much (a fraction: 0.02 is 2 points) writes a changelog entry. */
export const CHANGELOG_MOVE_THRESHOLD = 0.02;
/** Changelog kinds that snapshots compute (and a recompute reconciles); other kinds are written by people. */
export const COMPUTED_CHANGELOG_KINDS = ['index_move', 'index_status'] as const;
/** Days per write transaction when filling history. */
const DAYS_PER_TRANSACTION = 60;

export interface SnapshotReport {
  /** Days written, oldest first. */
  days: string[];
  presets: string[];
  snapshots_written: number;
  changelog: { inserted: number; updated: number; deleted: number };
  /** Composite per preset on the last day written (a fraction, or null when insufficient). */
  composite: Record<string, number | null>;
}

export interface RecomputeRequest {
  /** Rebuild exactly this day. */
  asOf?: string;
  /** Rebuild `from`, every stored day after it up to `to` (default today), and `to` (cost grows with stored days, not the span). */
  from?: string;
  to?: string;
  presets?: string[];
}

/**
 * Daily snapshots per preset and methodology version, and the changelog entries they imply. Every
 * write recomputes from the evidence ledger, so rebuilding a day twice gives the same rows; the
 * previous day is recomputed too (not read back) when deciding whether the composite moved.
 */
export class SnapshotService {
  constructor(
    private readonly index: IndexService,
    private readonly snapshots: SnapshotRepository,
    private readonly changelog: ChangelogRepository,
  ) {}

  /**
   * After any change to the evidence ledger (curation, import, ingestion): with the publication day of
   * the earliest evidence that changed, that day, every stored day after it and today are recomputed
   * (the change's changelog entry lands on the day it took effect); without one, today only. About
   * 10 ms per preset and distinct evidence day, plus the writes.
   */
  refresh(from?: string): Promise<SnapshotReport> {
    const today = this.index.today();
    if (from === undefined || from >= today) return this.write([today], this.index.presets());
    return this.recompute({ from: from < '1970-01-01' ? '1970-01-01' : from });
  }

  /** Rebuilds one day, or the stored days of a range plus its last day, from the ledger. */
  async recompute(request: RecomputeRequest = {}): Promise<SnapshotReport> {
    const presets = request.presets?.length ? request.presets.map((p) => this.index.preset(p)) : this.index.presets();
    if (request.asOf !== undefined && request.from !== undefined)
      throw new BadRequestError('give as_of or from, not both', { field: 'from' });
    if (request.from === undefined) return this.write([this.index.asOf(request.asOf, 'as_of')], presets);
    const from = this.index.asOf(request.from, 'from');
    const to = this.index.asOf(request.to, 'to');
    if (from > to) throw new BadRequestError('from must not be after to', { field: 'from' });
    const stored = await this.snapshots.existingDays(METHODOLOGY_VERSION, from, to);
    const codes = new Set(presets.map((p) => p.code));
    // `from` itself is written too: it is the day a change takes effect, where its changelog entry belongs.
    const days = new Set([from, ...stored.filter((s) => codes.has(s.preset)).map((s) => s.as_of), to]);
    return this.write([...days].sort(), presets);
  }

  /** Writes today's snapshots when any preset lacks one (start-up). */
  async ensureToday(): Promise<SnapshotReport | undefined> {
    const today = this.index.today();
    const stored = await this.snapshots.existingDays(METHODOLOGY_VERSION, today, today);
    const missing = this.index.presets().filter((p) => !stored.some((s) => s.preset === p.code));
    return missing.length > 0 ? this.write([today], missing) : undefined;
  }

  /** The publication day of the earliest usable evidence (today when there is none). */
  async firstEvidenceDay(): Promise<string> {
    const today = this.index.today();
    const first = (await this.index.ledger()).reduce((min, o) => {
      const d = o.published_at.slice(0, 10);
      return d < min ? d : min;
    }, today);
    return first;
  }

  /** Fills the days of the last `days` that have no snapshot yet (history after a first start or downtime). */
  async ensureHistory(days: number): Promise<SnapshotReport | undefined> {
    const to = this.index.today();
    // Days before the first evidence are all "insufficient"; history starts where the evidence does.
    const first = await this.firstEvidenceDay();
    const window = addDays(to, -(days - 1));
    const from = first > window ? first : window;
    const stored = new Set((await this.snapshots.existingDays(METHODOLOGY_VERSION, from, to)).map((s) => `${s.as_of}/${s.preset}`));
    const report = emptyReport();
    for (const preset of this.index.presets()) {
      const missing = daysBetween(from, to).filter((d) => !stored.has(`${d}/${preset.code}`));
      for (let i = 0; i < missing.length; i += DAYS_PER_TRANSACTION) {
        merge(report, await this.write(missing.slice(i, i + DAYS_PER_TRANSACTION), [preset]));
        // PGlite answers in the same thread through already-resolved promises: without a macrotask
        // break the whole backfill would run as one microtask chain and starve HTTP requests.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    return report.days.length > 0 ? report : undefined;
  }

  /** Computes and stores the snapshots of these days for these presets, and reconciles their changelog entries. */
  async write(days: readonly string[], presets: readonly Preset[]): Promise<SnapshotReport> {
    const report = emptyReport();
    if (days.length === 0 || presets.length === 0) return report;
    const sorted = [...new Set(days)].sort();
    const last = sorted[sorted.length - 1]!;
    const wanted = [...new Set(sorted.flatMap((d) => [addDays(d, -1), d]))].sort();
    const codes = presets.map((p) => p.code);
    const written = new Set(presets.flatMap((p) => sorted.map((d) => `${p.code}/${d}`)));

    // The ledger is read after taking the writers' lock: a refresh that waited behind another one sees
    // every change committed before it, so an older computation can never overwrite a newer one.
    await this.snapshots.transaction(async (trx) => {
      await this.snapshots.lockWriters(trx);
      const ledger = await this.index.ledger(last, trx);
      const rows: SnapshotWrite[] = [];
      const entries = new Map<string, ChangelogWrite>();
      for (const preset of presets) {
        const series = this.index.series(ledger, wanted, preset.weights);
        for (const day of sorted) {
          const result = series.get(day)!;
          rows.push({
            as_of: day,
            preset: preset.code,
            methodology_version: METHODOLOGY_VERSION,
            composite: result.composite.value,
            status: result.composite.status,
            payload: result as unknown as Record<string, unknown>,
          });
          const entry = changelogEntry(preset, series.get(addDays(day, -1))!, result);
          if (entry) entries.set(entryKey(entry.kind, preset.code, day), entry);
        }
        report.composite[preset.code] = series.get(last)!.composite.value;
      }
      await this.snapshots.upsertMany(trx, rows);
      report.snapshots_written = rows.length;
      const existing = (await this.changelog.computedEntries(trx, COMPUTED_CHANGELOG_KINDS, codes, sorted[0]!, last)).filter((e) =>
        written.has(`${e.preset}/${e.as_of}`),
      );
      const stale: number[] = [];
      const seen = new Set<string>();
      for (const row of existing) {
        const key = entryKey(row.kind, row.preset ?? '', row.as_of ?? '');
        const desired = entries.get(key);
        if (!desired || seen.has(key)) {
          stale.push(row.id);
          continue;
        }
        seen.add(key);
        if (!sameEntry(row, desired)) {
          await this.changelog.update(trx, row.id, desired);
          report.changelog.updated++;
        }
      }
      await this.changelog.delete(trx, stale);
      report.changelog.deleted += stale.length;
      for (const [key, entry] of entries) {
        if (seen.has(key)) continue;
        await this.changelog.insert(trx, entry);
        report.changelog.inserted++;
      }
    });
    report.days = sorted;
    report.presets = codes;
    return report;
  }
}

function emptyReport(): SnapshotReport {
  return { days: [], presets: [], snapshots_written: 0, changelog: { inserted: 0, updated: 0, deleted: 0 }, composite: {} };
}

function merge(into: SnapshotReport, part: SnapshotReport): void {
  into.days = [...new Set([...into.days, ...part.days])].sort();
  into.presets = [...new Set([...into.presets, ...part.presets])];
  into.snapshots_written += part.snapshots_written;
  into.changelog.inserted += part.changelog.inserted;
  into.changelog.updated += part.changelog.updated;
  into.changelog.deleted += part.changelog.deleted;
  Object.assign(into.composite, part.composite);
}

function entryKey(kind: string, preset: string, day: string): string {
  return `${kind}/${preset}/${day}`;
}

function sameEntry(row: ChangelogRow, entry: ChangelogWrite): boolean {
  // jsonb reorders keys, so compare structurally; numbers survive the round trip exactly.
  return row.title === entry.title && row.body === entry.body && isDeepStrictEqual(row.details, JSON.parse(JSON.stringify(entry.details)));
}

const points = (x: number) => (x * 100).toFixed(1);

/** Signposts whose progress changed from one day to the next, for the changelog's explanation. */
function signpostChanges(before: IndexResult, after: IndexResult) {
  const previous = new Map(before.signposts.map((s) => [s.code, s]));
  return after.signposts
    .filter((s) => s.progress !== previous.get(s.code)?.progress || s.status !== previous.get(s.code)?.status)
    .map((s) => ({
      code: s.code,
      from: previous.get(s.code)?.progress ?? 0,
      to: s.progress,
      status: s.status,
      observation_id: s.observation_id,
    }));
}

/**
 * The entry a day implies, if any: a composite move of at least 2 points (0.02), or a change between
 * computed and insufficient. Deterministic, so a recompute can compare it with the stored one.
 */
function changelogEntry(preset: Preset, before: IndexResult, after: IndexResult): ChangelogWrite | undefined {
  const from = before.composite.value;
  const to = after.composite.value;
  const signposts = signpostChanges(before, after);
  const body = signposts
    .map((s) => `${s.code}: ${points(s.from)} -> ${points(s.to)}${s.status === 'provisional' ? ' (provisional)' : ''}`)
    .join('\n');
  const base = { preset: preset.code, as_of: after.as_of };
  if (from !== null && to !== null) {
    const delta = to - from;
    if (Math.abs(delta) < CHANGELOG_MOVE_THRESHOLD) return undefined;
    return {
      ...base,
      kind: 'index_move',
      title: `Composite (${preset.name}) ${delta > 0 ? 'rose' : 'fell'} ${points(Math.abs(delta))} points to ${points(to)}`,
      body,
      details: { methodology_version: after.methodology_version, from, to, delta, signposts },
    };
  }
  if ((from === null) === (to === null)) return undefined;
  return {
    ...base,
    kind: 'index_status',
    title:
      to === null
        ? `Composite (${preset.name}) is insufficient: ${after.composite.reason ?? 'missing evidence'}`
        : `Composite (${preset.name}) can be computed: ${points(to)}`,
    body,
    details: { methodology_version: after.methodology_version, from, to, signposts },
  };
}
