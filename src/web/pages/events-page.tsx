import { useEffect, useState, type FormEvent } from 'react';
import { api, withQuery, type Query } from '../api/client.js';
import { useApi } from '../api/use-api.js';
import { CATEGORIES, TIERS, type EventSummary, type Page, type Signpost } from '../api/types.js';
import { EventList } from '../components/event-list.js';
import { ErrorNotice, Loading } from '../components/status.js';
import { categoryName } from '../format.js';
import { navigate, useLocation } from '../router.js';

const FILTERS = ['q', 'tier', 'category', 'signpost', 'since', 'until', 'include_retracted'] as const;

function filtersFrom(query: URLSearchParams): Query {
  const out: Query = {};
  for (const f of FILTERS) {
    const v = query.get(f);
    if (v) out[f] = v;
  }
  return out;
}

function FilterForm({ filters }: { filters: Query }) {
  const signposts = useApi<Page<Signpost> | Signpost[]>('/v1/signposts', { limit: 100 });
  const list = Array.isArray(signposts.data) ? signposts.data : (signposts.data?.results ?? []);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const params = new URLSearchParams();
    for (const f of FILTERS) {
      const v = data.get(f);
      if (typeof v === 'string' && v.trim() !== '') params.set(f, v.trim());
    }
    const qs = params.toString();
    navigate(`/events${qs ? `?${qs}` : ''}`);
  };
  const value = (f: string) => (filters[f] as string | undefined) ?? '';
  // Keyed on the filters so the form shows the URL's values after back/forward navigation.
  return (
    <form className="filters" onSubmit={onSubmit} key={JSON.stringify(filters)} role="search" aria-label="Filter evidence">
      <div className="field field-wide">
        <label htmlFor="f-q">Search</label>
        <input id="f-q" name="q" type="search" defaultValue={value('q')} placeholder="e.g. SWE-bench" />
      </div>
      <div className="field">
        <label htmlFor="f-tier">Tier</label>
        <select id="f-tier" name="tier" defaultValue={value('tier')}>
          <option value="">Any</option>
          {TIERS.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-category">Category</label>
        <select id="f-category" name="category" defaultValue={value('category')}>
          <option value="">Any</option>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {categoryName(c)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-signpost">Signpost</label>
        <select id="f-signpost" name="signpost" defaultValue={value('signpost')}>
          <option value="">Any</option>
          {list.map((s) => (
            <option key={s.code} value={s.code}>
              {s.name}
            </option>
          ))}
          {value('signpost') && !list.some((s) => s.code === value('signpost')) && (
            <option value={value('signpost')}>{value('signpost')}</option>
          )}
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-since">From</label>
        <input id="f-since" name="since" type="date" defaultValue={value('since')} />
      </div>
      <div className="field">
        <label htmlFor="f-until">To</label>
        <input id="f-until" name="until" type="date" defaultValue={value('until')} />
      </div>
      <div className="field field-check">
        <input
          id="f-retracted"
          name="include_retracted"
          type="checkbox"
          value="true"
          defaultChecked={value('include_retracted') === 'true'}
        />
        <label htmlFor="f-retracted">Include retracted</label>
      </div>
      <div className="field field-actions">
        <button type="submit">Apply filters</button>
        <button type="button" className="secondary" onClick={() => navigate('/events')}>
          Clear
        </button>
      </div>
    </form>
  );
}

/** The first page follows the filters; "Load more" appends the next keyset page. */
function Results({ filters }: { filters: Query }) {
  const first = useApi<Page<EventSummary>>('/v1/events', { ...filters, limit: 25 });
  const [more, setMore] = useState<EventSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<Error>();

  useEffect(() => {
    setMore([]);
    setCursor(first.data?.next_cursor ?? null);
    setError(undefined);
  }, [first.data]);

  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const next = await api<Page<EventSummary>>('/v1/events', { query: { ...filters, limit: 25, cursor } });
      setMore((m) => [...m, ...next.results]);
      setCursor(next.next_cursor);
    } catch (e) {
      setError(e as Error);
    } finally {
      setLoadingMore(false);
    }
  };

  if (first.error) return <ErrorNotice error={first.error} what="evidence" />;
  if (!first.data) return <Loading label="Loading evidence" />;
  const events = [...first.data.results, ...more];
  return (
    <section aria-labelledby="results-heading">
      <h2 id="results-heading" className="visually-hidden">
        Results
      </h2>
      <p className="muted small" role="status">
        {first.loading ? 'Updating…' : `${events.length} item${events.length === 1 ? '' : 's'} shown${cursor ? ', more available' : ''}.`}
      </p>
      <div aria-busy={first.loading} className={first.loading ? 'stale' : undefined}>
        <EventList events={events} />
      </div>
      {error && <ErrorNotice error={error} what="more evidence" />}
      {cursor && (
        <button type="button" onClick={loadMore} disabled={loadingMore}>
          {loadingMore ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}

export function EventsPage() {
  const { query } = useLocation();
  const filters = filtersFrom(query);
  const exportQuery = { ...filters };
  return (
    <>
      <div className="page-head">
        <h1>Evidence</h1>
        <p className="lede">
          Papers, leaderboards, lab announcements and press, each with its evidence tier. Only tiers A and B move the gauges.
        </p>
      </div>
      <FilterForm filters={filters} />
      <p className="small">
        Download these results: <a href={withQuery('/v1/export/events.csv', exportQuery)}>CSV</a> ·{' '}
        <a href={withQuery('/v1/export/events.json', exportQuery)}>JSON</a> · Feeds: <a href="/v1/feed.json">JSON Feed</a> ·{' '}
        <a href="/v1/feed.xml">Atom</a>
      </p>
      <Results filters={filters} />
    </>
  );
}
