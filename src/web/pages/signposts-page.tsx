import { useApi } from '../api/use-api.js';
import { CATEGORIES, type Page, type Signpost } from '../api/types.js';
import { ScoreBar } from '../components/score-bar.js';
import { ErrorNotice, Loading } from '../components/status.js';
import { StatusBadge } from '../components/tier-badge.js';
import { categoryName, points } from '../format.js';
import { Link, useLocation } from '../router.js';

export function signpostList(data: Page<Signpost> | Signpost[] | { signposts: Signpost[] } | undefined): Signpost[] {
  if (!data) return [];
  if (Array.isArray(data)) return data;
  if ('results' in data) return data.results;
  return data.signposts ?? [];
}

export function SignpostsPage() {
  const { query } = useLocation();
  const only = query.get('category');
  const res = useApi<Page<Signpost> | Signpost[]>('/v1/signposts', { limit: 100 });
  const all = signpostList(res.data);
  const categories = CATEGORIES.filter((c) => (!only || c === only) && all.some((s) => s.category === c));
  return (
    <>
      <div className="page-head">
        <h1>Signposts</h1>
        <p className="lede">
          Measurable thresholds on the way to AGI, by category. First-class signposts count twice in their category; monitor-only ones are
          shown but not scored.
        </p>
      </div>
      <nav aria-label="Categories" className="chips">
        <Link to="/signposts" aria-current={!only ? 'page' : undefined}>
          All
        </Link>
        {CATEGORIES.filter((c) => all.some((s) => s.category === c)).map((c) => (
          <Link key={c} to={`/signposts?category=${c}`} aria-current={only === c ? 'page' : undefined}>
            {categoryName(c)}
          </Link>
        ))}
      </nav>
      {res.error ? (
        <ErrorNotice error={res.error} what="signposts" />
      ) : !res.data ? (
        <Loading label="Loading signposts" />
      ) : (
        categories.map((c) => (
          <section key={c} className="card" aria-labelledby={`cat-${c}`}>
            <h2 id={`cat-${c}`}>{categoryName(c)}</h2>
            <ul className="signpost-list">
              {all
                .filter((s) => s.category === c)
                .map((s) => (
                  <li key={s.code}>
                    <div className="lane-head">
                      <Link to={`/signposts/${encodeURIComponent(s.code)}`}>{s.name}</Link>
                      <span className="lane-score">{typeof s.progress === 'number' ? points(s.progress) : ''}</span>
                    </div>
                    {typeof s.progress === 'number' && <ScoreBar value={s.progress} interval={s.interval} />}
                    <p className="small muted">
                      <code>{s.code}</code>
                      {s.first_class ? ' · first-class' : ''}
                      {s.monitor_only ? ' · monitor only' : ''} <StatusBadge status={s.status} />
                    </p>
                  </li>
                ))}
            </ul>
          </section>
        ))
      )}
    </>
  );
}
