import type { EventSummary } from '../api/types.js';
import { day } from '../format.js';
import { Link } from '../router.js';
import { StatusBadge, TierBadge } from './tier-badge.js';

/** A list of evidence items. Titles and publishers are ingested text: rendered as text only. */
export function EventList({ events }: { events: EventSummary[] }) {
  if (events.length === 0) return <p className="muted">No evidence matches.</p>;
  return (
    <ul className="event-list">
      {events.map((e) => (
        <li key={String(e.id)} className={e.retracted ? 'event retracted' : 'event'}>
          <TierBadge tier={e.tier} />
          <div className="event-body">
            <Link to={`/events/${encodeURIComponent(String(e.id))}`} className="event-title">
              {e.title}
            </Link>
            <p className="small muted">
              {e.publisher ? `${e.publisher} · ` : ''}
              <time dateTime={e.published_at}>{day(e.published_at)}</time>
              {e.tier === 'C' || e.tier === 'D' ? ' · unverified' : ''}
              {e.retracted ? ' · ' : ''}
              {e.retracted && <StatusBadge status="retracted" />}
            </p>
          </div>
        </li>
      ))}
    </ul>
  );
}
