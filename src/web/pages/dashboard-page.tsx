import { useId } from 'react';
import { useApi } from '../api/use-api.js';
import { historyPoints } from '../api/history.js';
import {
  CATEGORIES,
  COMPOSITE_CATEGORIES,
  PRESETS,
  type ChangelogEntry,
  type EventSummary,
  type IndexResponse,
  type Page,
} from '../api/types.js';
import { Gauge } from '../components/gauge.js';
import { HistoryChart } from '../components/history-chart.js';
import { ScoreBar } from '../components/score-bar.js';
import { ErrorNotice, Loading } from '../components/status.js';
import { EventList } from '../components/event-list.js';
import { categoryName, day, intervalText, points, presetName, signedPoints } from '../format.js';
import { Link, setQuery, useLocation } from '../router.js';

export function presetFromQuery(query: URLSearchParams): string {
  const p = query.get('preset');
  return p && (PRESETS as readonly string[]).includes(p) ? p : 'equal';
}

export function PresetSwitcher({ preset }: { preset: string }) {
  const name = useId();
  return (
    <fieldset className="preset-switcher">
      <legend>Weight preset</legend>
      {PRESETS.map((p) => (
        <label key={p} className={p === preset ? 'selected' : undefined}>
          <input
            type="radio"
            name={name}
            value={p}
            checked={p === preset}
            onChange={() => setQuery({ preset: p === 'equal' ? undefined : p })}
          />
          {presetName(p)}
        </label>
      ))}
    </fieldset>
  );
}

function CompositeCard({ index }: { index: IndexResponse }) {
  const c = index.composite;
  const w = index.weights;
  return (
    <section className="card composite" aria-labelledby="composite-heading">
      <h2 id="composite-heading">AGI proximity</h2>
      <Gauge value={c.value} interval={c.interval} label="AGI proximity composite" />
      {c.value === null ? (
        <div className="notice notice-na">
          <p>
            <strong>Insufficient evidence.</strong> {c.reason ?? 'Some weighted category has no A/B-tier evidence yet.'}
          </p>
          <p className="muted">
            The composite is shown only when every weighted category has verified evidence; a 0 would be a guess, not a measurement.
          </p>
        </div>
      ) : (
        <p className="composite-text">
          <span className="muted">out of 100</span> · {intervalText(c.interval)}
        </p>
      )}
      <p className="muted small">
        Weighted harmonic mean of capabilities ({points(w.capabilities, 0)}%), agents ({points(w.agents, 0)}%) and inputs (
        {points(w.inputs, 0)}%) as of {day(index.as_of)}. Methodology v{index.methodology_version}.{' '}
        <Link to="/methodology">How it is computed</Link>
      </p>
    </section>
  );
}

function SafetyCard({ index }: { index: IndexResponse }) {
  const s = index.safety_margin;
  return (
    <section className="card safety" aria-labelledby="safety-heading">
      <h2 id="safety-heading">Safety margin</h2>
      {s.value === null ? (
        <p className="notice notice-na">
          <strong>N/A.</strong> {s.reason ?? 'Not enough A/B-tier evidence.'}
        </p>
      ) : (
        <>
          <p>
            <span className={s.value < 0 ? 'big-number negative' : 'big-number'}>{signedPoints(s.value)}</span>{' '}
            <span className="muted">points</span>
          </p>
          <ScoreBar value={s.value} interval={s.interval} min={-1} max={1} />
          <p className="small">{intervalText(s.interval, true)}</p>
          <p className="small muted">
            Security minus the weighted mean of capabilities and agents.{' '}
            {s.value < 0 ? 'Negative: capabilities are outpacing security.' : 'Security is keeping pace.'}
          </p>
        </>
      )}
    </section>
  );
}

function CategoryLanes({ index }: { index: IndexResponse }) {
  // Categories without any signpost in the catalog have nothing to show.
  const rows = CATEGORIES.filter((c) => index.categories[c] && index.categories[c]!.signposts > 0);
  return (
    <section className="card lanes" aria-labelledby="lanes-heading">
      <h2 id="lanes-heading">Categories</h2>
      <ul className="lane-list">
        {rows.map((c) => {
          const s = index.categories[c]!;
          const inComposite = COMPOSITE_CATEGORIES.includes(c);
          return (
            <li key={c} className="lane">
              <div className="lane-head">
                <Link to={`/signposts?category=${c}`} className="lane-name">
                  {categoryName(c)}
                </Link>
                <span className="lane-score">{points(s.score)}</span>
              </div>
              {s.score !== null && <ScoreBar value={s.score} interval={s.interval} />}
              <p className="small muted">
                {s.score !== null && s.interval ? `${intervalText(s.interval)} · ` : ''}
                {s.signposts_with_evidence} of {s.signposts} signposts with evidence
                {s.provisional_signposts ? ` · ${s.provisional_signposts} provisional` : ''}
                {!s.has_ab_evidence && s.signposts > 0 ? ' · no A/B evidence yet' : ''}
                {inComposite ? ' · in composite' : c === 'security' ? ' · in safety margin' : ' · shown, not scored in the composite'}
              </p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function HistoryCard({ preset }: { preset: string }) {
  const history = useApi<unknown>('/v1/index/history', { preset, days: 365 });
  return (
    <section className="card history-card" aria-labelledby="history-heading">
      <h2 id="history-heading">History (last 365 days)</h2>
      {history.error ? (
        <ErrorNotice error={history.error} what="the history" />
      ) : history.data === undefined ? (
        <Loading />
      ) : (
        <HistoryChart data={historyPoints(history.data)} label={`Composite, ${presetName(preset)} preset`} />
      )}
    </section>
  );
}

function WeekEvidence() {
  const events = useApi<Page<EventSummary>>('/v1/events', { limit: 10 });
  const weekAgo = Date.now() - 7 * 86_400_000;
  const recent = events.data?.results.filter((e) => Date.parse(e.published_at) >= weekAgo) ?? [];
  return (
    <section className="card" aria-labelledby="week-heading">
      <h2 id="week-heading">This week's evidence</h2>
      {events.error ? (
        <ErrorNotice error={events.error} what="evidence" />
      ) : !events.data ? (
        <Loading />
      ) : recent.length > 0 ? (
        <EventList events={recent} />
      ) : (
        <>
          <p className="muted">No new evidence in the last 7 days. The latest:</p>
          <EventList events={events.data.results.slice(0, 5)} />
        </>
      )}
      <p>
        <Link to="/events">All evidence</Link>
      </p>
    </section>
  );
}

function Changelog() {
  const log = useApi<Page<ChangelogEntry>>('/v1/changelog', { limit: 5 });
  return (
    <section className="card" aria-labelledby="changelog-heading">
      <h2 id="changelog-heading">Changelog</h2>
      {log.error ? (
        <ErrorNotice error={log.error} what="the changelog" />
      ) : !log.data ? (
        <Loading />
      ) : log.data.results.length === 0 ? (
        <p className="muted">
          No changes recorded yet: an entry appears when the composite moves by 2 points or more, changes state, or evidence is retracted.
        </p>
      ) : (
        <ul className="plain-list">
          {log.data.results.map((e) => (
            <li key={String(e.id)} className="change">
              <span className="muted small">{day(e.as_of ?? e.created_at)}</span>{' '}
              {e.preset ? <span className="badge">{presetName(e.preset)}</span> : null} <strong>{e.title}</strong>
              {e.body ? <p className="small">{e.body}</p> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function DashboardPage() {
  const { query } = useLocation();
  const preset = presetFromQuery(query);
  const index = useApi<IndexResponse>('/v1/index', { preset });
  return (
    <>
      <div className="page-head">
        <h1>How close is AI to AGI, by measurable signposts</h1>
        <p className="lede">
          Every number comes from dated, sourced evidence. Tier A and B evidence moves the gauges; press and social posts are shown but
          never counted.
        </p>
      </div>
      <PresetSwitcher preset={preset} />
      {index.error ? (
        <ErrorNotice error={index.error} what="the index" />
      ) : !index.data ? (
        <Loading label="Loading the index" />
      ) : (
        <div className="grid-top">
          <CompositeCard index={index.data} />
          <CategoryLanes index={index.data} />
          <SafetyCard index={index.data} />
        </div>
      )}
      <HistoryCard preset={preset} />
      <div className="grid-2">
        <WeekEvidence />
        <Changelog />
      </div>
    </>
  );
}
