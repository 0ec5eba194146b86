import { useApi } from '../api/use-api.js';
import type { EventSummary, Page, Signpost } from '../api/types.js';
import { signpostList } from './signposts-page.js';
import { ExternalLink, hostOf } from '../components/external-link.js';
import { ErrorNotice, Loading } from '../components/status.js';
import { StatusBadge, TierBadge } from '../components/tier-badge.js';
import { SafeMarkdown } from '../markdown/safe-markdown.js';
import { day, metricValue, TIER_DESCRIPTIONS } from '../format.js';
import { Link } from '../router.js';

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

export function EventDetailPage({ id }: { id: string }) {
  const ev = useApi<EventSummary>(`/v1/events/${encodeURIComponent(id)}`);
  // Signpost names and metric units, to show each linked value in its unit.
  const signposts = useApi<Page<Signpost>>('/v1/signposts', { limit: 100 });
  const byCode = new Map(signpostList(signposts.data).map((s) => [s.code, s]));
  if (ev.error) {
    return (
      <>
        <h1>Evidence item</h1>
        <ErrorNotice error={ev.error} what="this item" />
        <p>
          <Link to="/events">Back to all evidence</Link>
        </p>
      </>
    );
  }
  if (!ev.data) return <Loading label="Loading evidence item" />;
  const e = ev.data;
  const observations = e.observations ?? [];
  // Model output, stored as JSON: only string fields are shown, and only as text or safe markdown.
  const analysis =
    e.analysis && typeof e.analysis.summary === 'string'
      ? (e.analysis as NonNullable<EventSummary['analysis']> & { summary: string })
      : null;
  return (
    <article className="event-detail">
      <p className="breadcrumb">
        <Link to="/events">Evidence</Link> / item {String(e.id)}
      </p>
      <h1>{e.title}</h1>
      {e.retracted && (
        <div className="notice notice-error">
          <p>
            <strong>Retracted.</strong> {e.retracted_reason ?? ''} This item no longer counts in any score.
          </p>
        </div>
      )}
      <dl className="facts">
        <dt>Tier</dt>
        <dd>
          <TierBadge tier={e.tier} /> {TIER_DESCRIPTIONS[e.tier]}
        </dd>
        <dt>Published</dt>
        <dd>{day(e.published_at)}</dd>
        {e.publisher && (
          <>
            <dt>Publisher</dt>
            <dd>{e.publisher}</dd>
          </>
        )}
        {e.source_type && (
          <>
            <dt>Source type</dt>
            <dd>{e.source_type.replace(/_/g, ' ')}</dd>
          </>
        )}
        <dt>Source</dt>
        <dd>
          <ExternalLink href={e.url}>{hostOf(e.url) || e.url}</ExternalLink>
        </dd>
      </dl>
      {e.summary && (
        <section aria-labelledby="summary-heading">
          <h2 id="summary-heading">Summary</h2>
          <SafeMarkdown text={e.summary} />
        </section>
      )}
      {analysis && (
        <section aria-labelledby="analysis-heading">
          <h2 id="analysis-heading">Analysis</h2>
          <p className="small muted">
            Written by a language model from the title and summary
            {typeof analysis.significance === 'number' ? `; significance ${analysis.significance.toFixed(2)} on a 0–1 scale` : ''}.
          </p>
          <SafeMarkdown text={analysis.summary} />
          {analysis.impact && (
            <ul>
              {text(analysis.impact.short) && <li>Short term: {text(analysis.impact.short)}</li>}
              {text(analysis.impact.medium) && <li>Medium term: {text(analysis.impact.medium)}</li>}
              {text(analysis.impact.long) && <li>Long term: {text(analysis.impact.long)}</li>}
            </ul>
          )}
        </section>
      )}
      <section aria-labelledby="obs-heading">
        <h2 id="obs-heading">Signposts it informs</h2>
        {observations.length === 0 ? (
          <p className="muted">No measured value was linked to a signpost.</p>
        ) : (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Signpost</th>
                  <th scope="col">Value</th>
                  <th scope="col">Status</th>
                  <th scope="col">Method</th>
                  <th scope="col">Confidence</th>
                </tr>
              </thead>
              <tbody>
                {observations.map((o) => (
                  <tr key={String(o.id)}>
                    <td>
                      <Link to={`/signposts/${encodeURIComponent(o.signpost)}`}>{byCode.get(o.signpost)?.name ?? o.signpost}</Link>
                    </td>
                    <td>{metricValue(o.value, byCode.get(o.signpost)?.metric.unit)}</td>
                    <td>
                      <StatusBadge status={o.status} />
                    </td>
                    <td>{o.method ?? ''}</td>
                    <td>{typeof o.confidence === 'number' ? o.confidence.toFixed(2) : ''}</td>
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
