import { useApi } from '../api/use-api.js';
import type { Forecast, SignpostDetail } from '../api/types.js';
import { ExternalLink } from '../components/external-link.js';
import { ScoreBar } from '../components/score-bar.js';
import { ErrorNotice, Loading } from '../components/status.js';
import { StatusBadge, TierBadge } from '../components/tier-badge.js';
import { categoryName, day, intervalText, metricValue, points } from '../format.js';
import { Link } from '../router.js';

function surprise(f: Forecast): string {
  const s = f.surprise_years;
  if (typeof s !== 'number') return '';
  return `${s > 0 ? '+' : ''}${s.toFixed(2)} years`;
}

/**
 * The signpost's observations with their events. The best one is marked provisional when the
 * signpost's value rests on uncorroborated B-tier evidence; C/D evidence is marked unverified.
 */
function EvidenceTable({ signpost }: { signpost: SignpostDetail }) {
  const rows = signpost.observations;
  if (rows.length === 0) return <p className="muted">No evidence linked to this signpost yet.</p>;
  const unit = signpost.metric.unit;
  return (
    <div className="table-scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">Evidence</th>
            <th scope="col">Tier</th>
            <th scope="col">Value</th>
            <th scope="col">Published</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((o) => {
            const ev = o.event;
            const best = signpost.best_observation_id !== null && String(o.id) === String(signpost.best_observation_id);
            return (
              <tr key={String(o.id)} className={best ? 'best' : undefined}>
                <td>
                  {ev ? <Link to={`/events/${encodeURIComponent(String(ev.id))}`}>{ev.title}</Link> : `Observation ${String(o.id)}`}
                  {ev?.publisher ? <span className="small muted"> · {ev.publisher}</span> : null}
                  {best ? <span className="small"> · best value</span> : null}
                </td>
                <td>
                  <TierBadge tier={ev?.tier} />
                  {ev && !o.verified ? <span className="small muted"> unverified</span> : null}
                </td>
                <td>{metricValue(o.value, unit)}</td>
                <td>{day(ev?.published_at)}</td>
                <td>
                  <StatusBadge status={o.status} />{' '}
                  {best && signpost.status === 'provisional' ? <StatusBadge status="provisional" /> : null}
                  {ev?.retracted ? <StatusBadge status="retracted" /> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function SignpostDetailPage({ code }: { code: string }) {
  const res = useApi<SignpostDetail>(`/v1/signposts/${encodeURIComponent(code)}`);
  if (res.error) {
    return (
      <>
        <h1>Signpost</h1>
        <ErrorNotice error={res.error} what="this signpost" />
        <p>
          <Link to="/signposts">All signposts</Link>
        </p>
      </>
    );
  }
  if (!res.data) return <Loading label="Loading signpost" />;
  const s = res.data;
  const unit = s.metric.unit;
  const forecasts = s.forecasts;
  return (
    <article>
      <p className="breadcrumb">
        <Link to="/signposts">Signposts</Link> / <Link to={`/signposts?category=${s.category}`}>{categoryName(s.category)}</Link>
      </p>
      <h1>{s.name}</h1>
      <p className="muted">
        <code>{s.code}</code>
        {s.first_class ? ' · first-class (counts twice)' : ''}
        {s.monitor_only ? ' · monitor only (not scored)' : ''}
      </p>
      <section className="card" aria-labelledby="progress-heading">
        <h2 id="progress-heading">Progress</h2>
        <p>
          <span className="big-number">{points(s.progress ?? 0)}</span> <span className="muted">of 100</span>{' '}
          <StatusBadge status={s.status} />
        </p>
        <ScoreBar value={s.progress ?? 0} interval={s.interval} />
        <p className="small">{intervalText(s.interval)}</p>
        <dl className="facts">
          <dt>Best value</dt>
          <dd>{metricValue(s.value, unit)}</dd>
          <dt>Baseline → target</dt>
          <dd>
            {metricValue(s.baseline, unit)} → {metricValue(s.target, unit)}
            {s.metric.scale === 'log10' ? ' (log scale: progress counts orders of magnitude)' : ''}
          </dd>
          <dt>Metric</dt>
          <dd>
            {s.metric.name}
            {s.metric.direction === 'decreasing' ? ' (lower is better)' : ''}
          </dd>
        </dl>
        {s.status === 'provisional' && (
          <p className="notice">The best value rests on a lab announcement (tier B) that no tier A source has corroborated yet.</p>
        )}
      </section>
      {s.description && (
        <section aria-labelledby="about-heading">
          <h2 id="about-heading">What it measures</h2>
          <p>{s.description}</p>
          {s.why_it_matters && (
            <>
              <h3>Why it matters</h3>
              <p>{s.why_it_matters}</p>
            </>
          )}
          {s.sources && s.sources.length > 0 && (
            <>
              <h3>Sources</h3>
              <ul>
                {s.sources.map((src) => (
                  <li key={src.url}>
                    <ExternalLink href={src.url}>{src.title}</ExternalLink>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
      <section aria-labelledby="evidence-heading">
        <h2 id="evidence-heading">Evidence</h2>
        <EvidenceTable signpost={s} />
      </section>
      <section aria-labelledby="forecasts-heading">
        <h2 id="forecasts-heading">Forecasts</h2>
        {forecasts.length === 0 ? (
          <p className="muted">No expert forecasts recorded for this signpost.</p>
        ) : (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Forecaster</th>
                  <th scope="col">Predicted</th>
                  <th scope="col">Status</th>
                  <th scope="col">Crossed</th>
                  <th scope="col">Surprise</th>
                  <th scope="col">Source</th>
                </tr>
              </thead>
              <tbody>
                {forecasts.map((f, i) => (
                  <tr key={`${f.forecaster}-${i}`}>
                    <td>{f.forecaster}</td>
                    <td>
                      {day(f.predicted_date)}
                      {f.interval_low && f.interval_high ? (
                        <span className="small muted">
                          {' '}
                          ({day(f.interval_low)} – {day(f.interval_high)})
                        </span>
                      ) : null}
                    </td>
                    <td>
                      <StatusBadge status={f.status ?? undefined} />
                    </td>
                    <td>{f.crossed_date ? day(f.crossed_date) : 'not yet'}</td>
                    <td>{surprise(f)}</td>
                    <td>{f.url ? <ExternalLink href={f.url}>{f.quote ? `“${f.quote}”` : 'source'}</ExternalLink> : (f.quote ?? '')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </article>
  );
}
