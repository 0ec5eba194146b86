import { useState, type FormEvent, type ReactNode } from 'react';
import { adminKey, api, ApiError } from '../api/client.js';
import { useApi } from '../api/use-api.js';
import type { ApiKeyRow, AuditLogRow, EventSummary, FailedJob, IngestRun, LlmBudget, Observation, Page } from '../api/types.js';
import { ExternalLink } from '../components/external-link.js';
import { ErrorNotice, Loading } from '../components/status.js';
import { StatusBadge, TierBadge } from '../components/tier-badge.js';
import { dateTime, day, metricValue } from '../format.js';
import { Link } from '../router.js';

const TABS = [
  { path: 'review', label: 'Review queue' },
  { path: 'keys', label: 'API keys' },
  { path: 'audit', label: 'Audit log' },
  { path: 'budget', label: 'LLM budget' },
  { path: 'ingest', label: 'Ingestion' },
] as const;

type Raw = Record<string, unknown>;

function results<T>(data: Page<T> | T[] | undefined): T[] {
  if (!data) return [];
  return Array.isArray(data) ? data : (data.results ?? []);
}

/** One line saying what the last action did, announced to screen readers. */
function useStatus(): [ReactNode, (msg: string, error?: boolean) => void] {
  const [msg, setMsg] = useState<{ text: string; error: boolean }>();
  const node = (
    <p role="status" className={msg?.error ? 'notice notice-error' : msg ? 'notice' : 'visually-hidden'}>
      {msg?.text ?? ''}
    </p>
  );
  return [node, (text, error = false) => setMsg({ text, error })];
}

function KeyForm({ onSaved }: { onSaved: () => void }) {
  const [error, setError] = useState<Error>();
  const [checking, setChecking] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const key = String(new FormData(e.currentTarget).get('key') ?? '').trim();
    if (!key) return;
    setChecking(true);
    setError(undefined);
    adminKey.set(key);
    try {
      await api('/v1/admin/llm-budget', { admin: true });
      onSaved();
    } catch (err) {
      adminKey.clear();
      setError(
        err instanceof ApiError && (err.status === 401 || err.status === 403)
          ? new Error('This key is not a valid admin key.')
          : (err as Error),
      );
    } finally {
      setChecking(false);
    }
  };
  return (
    <form className="card narrow" onSubmit={submit}>
      <h2>Sign in with an admin API key</h2>
      <p className="small muted">
        The key is kept in this tab’s session storage only and sent as the X-API-Key header. Closing the tab forgets it.
      </p>
      <label htmlFor="admin-key">Admin API key</label>
      <input id="admin-key" name="key" type="password" autoComplete="off" spellCheck={false} required />
      <button type="submit" disabled={checking}>
        {checking ? 'Checking…' : 'Use this key'}
      </button>
      {error && <ErrorNotice error={error} />}
    </form>
  );
}

interface QueueItem extends Partial<EventSummary> {
  event?: EventSummary;
  observations?: Observation[];
  pending_observations?: Observation[];
  pending?: Observation[];
}

function ReviewQueue() {
  const queue = useApi<Page<QueueItem>>('/v1/admin/review-queue', { limit: 50 }, { admin: true });
  const [status, say] = useStatus();
  const [retracting, setRetracting] = useState<string | null>(null);
  const act = async (id: string, action: 'approve' | 'reject' | 'retract', body?: unknown) => {
    try {
      await api(`/v1/admin/events/${encodeURIComponent(id)}/${action}`, { method: 'POST', admin: true, body: body ?? {} });
      say(`Event ${id}: ${action === 'approve' ? 'approved' : action === 'reject' ? 'rejected' : 'retracted'}.`);
      setRetracting(null);
      queue.reload();
    } catch (e) {
      say(`Event ${id}: ${(e as Error).message}`, true);
    }
  };
  const items = results(queue.data);
  return (
    <section aria-labelledby="review-heading">
      <h2 id="review-heading">Review queue</h2>
      <p className="small muted">Machine-mapped observations below the auto-approval bar, or from tiers C/D, wait here.</p>
      {status}
      {queue.error ? (
        <ErrorNotice error={queue.error} what="the review queue" />
      ) : !queue.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <p>Nothing waits for review.</p>
      ) : (
        <ul className="review-list">
          {items.map((item) => {
            const ev = (item.event ?? item) as EventSummary;
            const id = String(ev.id);
            const obs = item.pending ?? item.pending_observations ?? item.observations ?? ev.observations ?? [];
            return (
              <li key={id} className="card">
                <h3>
                  <TierBadge tier={ev.tier} /> <Link to={`/events/${encodeURIComponent(id)}`}>{ev.title}</Link>
                </h3>
                <p className="small muted">
                  {ev.publisher ? `${ev.publisher} · ` : ''}
                  {day(ev.published_at)} · <ExternalLink href={ev.url}>source</ExternalLink>
                </p>
                {ev.summary && <p className="clamp">{ev.summary}</p>}
                {obs.length > 0 && (
                  <ul className="small">
                    {obs.map((o) => (
                      <li key={String(o.id)}>
                        {o.signpost}: {metricValue(o.value)}{' '}
                        {typeof o.confidence === 'number' ? `(confidence ${o.confidence.toFixed(2)}, ${o.method ?? 'rule'})` : ''}{' '}
                        <StatusBadge status={o.status} />
                        {o.rationale ? <span className="muted"> {o.rationale}</span> : null}
                      </li>
                    ))}
                  </ul>
                )}
                <div className="button-row">
                  <button type="button" onClick={() => void act(id, 'approve')}>
                    Approve
                  </button>
                  <button type="button" className="secondary" onClick={() => void act(id, 'reject')}>
                    Reject
                  </button>
                  <button
                    type="button"
                    className="danger"
                    onClick={() => setRetracting(retracting === id ? null : id)}
                    aria-expanded={retracting === id}
                  >
                    Retract…
                  </button>
                </div>
                {retracting === id && (
                  <form
                    className="inline-form"
                    onSubmit={(e) => {
                      e.preventDefault();
                      const reason = String(new FormData(e.currentTarget).get('reason') ?? '').trim();
                      void act(id, 'retract', { reason });
                    }}
                  >
                    <label htmlFor={`reason-${id}`}>Reason for retraction</label>
                    <input id={`reason-${id}`} name="reason" required minLength={3} maxLength={500} />
                    <button type="submit" className="danger">
                      Retract event
                    </button>
                  </form>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <RetractById onDone={(msg, err) => say(msg, err)} />
    </section>
  );
}

/** Retraction also applies to approved evidence, which is not in the queue. */
function RetractById({ onDone }: { onDone: (msg: string, error?: boolean) => void }) {
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const id = String(data.get('event_id') ?? '').trim();
    const reason = String(data.get('reason') ?? '').trim();
    try {
      await api(`/v1/admin/events/${encodeURIComponent(id)}/retract`, { method: 'POST', admin: true, body: { reason } });
      onDone(`Event ${id} retracted; the index is recomputed.`);
      form.reset();
    } catch (err) {
      onDone(`Event ${id}: ${(err as Error).message}`, true);
    }
  };
  return (
    <form className="card inline-form" onSubmit={submit}>
      <h3>Retract any event</h3>
      <label htmlFor="retract-id">Event ID</label>
      <input id="retract-id" name="event_id" required inputMode="numeric" />
      <label htmlFor="retract-reason">Reason</label>
      <input id="retract-reason" name="reason" required minLength={3} maxLength={500} />
      <button type="submit" className="danger">
        Retract
      </button>
    </form>
  );
}

function ApiKeys() {
  const keys = useApi<Page<ApiKeyRow>>('/v1/admin/api-keys', { limit: 100, include_revoked: 'true' }, { admin: true });
  const [status, say] = useStatus();
  const [secret, setSecret] = useState<{ name: string; value: string }>();
  const [confirming, setConfirming] = useState<string | null>(null);
  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const name = String(data.get('name') ?? '').trim();
    const role = String(data.get('role') ?? 'reader');
    try {
      const created = await api<Raw>('/v1/admin/api-keys', { method: 'POST', admin: true, body: { name, role } });
      const value = created.key ?? created.secret ?? created.api_key ?? created.token;
      setSecret({ name, value: typeof value === 'string' ? value : '(the server did not return the secret)' });
      say(`Key “${name}” created.`);
      form.reset();
      keys.reload();
    } catch (err) {
      say((err as Error).message, true);
    }
  };
  const revoke = async (id: string) => {
    try {
      await api(`/v1/admin/api-keys/${encodeURIComponent(id)}`, { method: 'DELETE', admin: true });
      say(`Key ${id} revoked.`);
      setConfirming(null);
      keys.reload();
    } catch (err) {
      say((err as Error).message, true);
    }
  };
  return (
    <section aria-labelledby="keys-heading">
      <h2 id="keys-heading">API keys</h2>
      {status}
      {secret && (
        <div className="notice secret" role="alert">
          <p>
            <strong>Copy the secret of “{secret.name}” now: it is shown only once.</strong>
          </p>
          <p>
            <code className="secret-value">{secret.value}</code>
          </p>
          <div className="button-row">
            <button type="button" className="secondary" onClick={() => void navigator.clipboard?.writeText(secret.value)}>
              Copy
            </button>
            <button type="button" className="secondary" onClick={() => setSecret(undefined)}>
              I have saved it
            </button>
          </div>
        </div>
      )}
      <form className="card inline-form" onSubmit={create}>
        <h3>Create a key</h3>
        <label htmlFor="key-name">Name</label>
        <input id="key-name" name="name" required maxLength={100} />
        <label htmlFor="key-role">Role</label>
        <select id="key-role" name="role" defaultValue="reader">
          <option value="reader">reader</option>
          <option value="admin">admin</option>
        </select>
        <button type="submit">Create</button>
      </form>
      {keys.error ? (
        <ErrorNotice error={keys.error} what="API keys" />
      ) : !keys.data ? (
        <Loading />
      ) : (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">API keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {results(keys.data).map((k) => {
                const id = String(k.id);
                const revoked = Boolean(k.revoked_at ?? k.revoked);
                return (
                  <tr key={id}>
                    <td>{k.name}</td>
                    <td>
                      <code>{k.prefix ?? k.key_prefix ?? ''}</code>
                    </td>
                    <td>{k.role}</td>
                    <td>{dateTime(k.created_at)}</td>
                    <td>{k.last_used_at ? dateTime(k.last_used_at) : 'never'}</td>
                    <td>{revoked ? 'revoked' : 'active'}</td>
                    <td>
                      {!revoked &&
                        (confirming === id ? (
                          <span className="button-row">
                            <button type="button" className="danger" onClick={() => void revoke(id)}>
                              Confirm revoke
                            </button>
                            <button type="button" className="secondary" onClick={() => setConfirming(null)}>
                              Cancel
                            </button>
                          </span>
                        ) : (
                          <button type="button" className="secondary" onClick={() => setConfirming(id)} aria-label={`Revoke key ${k.name}`}>
                            Revoke
                          </button>
                        ))}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function AuditLog() {
  const [filters, setFilters] = useState<{ action?: string; success?: string }>({});
  const [pages, setPages] = useState<AuditLogRow[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const first = useApi<Page<AuditLogRow>>('/v1/admin/audit-logs', { limit: 50, ...filters }, { admin: true });
  const [error, setError] = useState<Error>();
  const rows = [...results(first.data), ...pages];
  const next = cursor === undefined ? first.data?.next_cursor : cursor;
  const more = async () => {
    if (!next) return;
    try {
      const p = await api<Page<AuditLogRow>>('/v1/admin/audit-logs', { query: { limit: 50, ...filters, cursor: next }, admin: true });
      setPages((r) => [...r, ...p.results]);
      setCursor(p.next_cursor);
    } catch (e) {
      setError(e as Error);
    }
  };
  const apply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    setPages([]);
    setCursor(undefined);
    setFilters({ action: String(data.get('action') ?? '').trim() || undefined, success: String(data.get('success') ?? '') || undefined });
  };
  return (
    <section aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit log</h2>
      <form className="filters" onSubmit={apply} aria-label="Filter the audit log">
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <input id="audit-action" name="action" placeholder="e.g. approve_link" />
        </div>
        <div className="field">
          <label htmlFor="audit-success">Outcome</label>
          <select id="audit-success" name="success" defaultValue="">
            <option value="">Any</option>
            <option value="true">Succeeded</option>
            <option value="false">Failed</option>
          </select>
        </div>
        <div className="field field-actions">
          <button type="submit">Filter</button>
        </div>
      </form>
      {first.error ? (
        <ErrorNotice error={first.error} what="the audit log" />
      ) : !first.data ? (
        <Loading />
      ) : (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Audit log entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Action</th>
                <th scope="col">Resource</th>
                <th scope="col">Key</th>
                <th scope="col">IP</th>
                <th scope="col">Outcome</th>
                <th scope="col">Request ID</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={String(r.id)}>
                  <td>{dateTime(r.timestamp)}</td>
                  <td>
                    <code>{r.action}</code>
                  </td>
                  <td>
                    {r.resource_type ?? ''} {r.resource_id ?? ''}
                  </td>
                  <td>{r.api_key_id ?? ''}</td>
                  <td>{r.ip_address ?? ''}</td>
                  <td>{r.success ? 'ok' : `failed${r.error_message ? `: ${r.error_message}` : ''}`}</td>
                  <td>
                    <code className="small">{r.request_id ?? ''}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {error && <ErrorNotice error={error} />}
      {next && (
        <button type="button" onClick={() => void more()}>
          Load more
        </button>
      )}
    </section>
  );
}

function Budget() {
  const b = useApi<LlmBudget>('/v1/admin/llm-budget', undefined, { admin: true });
  if (b.error) return <ErrorNotice error={b.error} what="the LLM budget" />;
  if (!b.data) return <Loading />;
  const d = b.data;
  const usd = (x: number) => `$${x.toFixed(2)}`;
  return (
    <section aria-labelledby="budget-heading">
      <h2 id="budget-heading">LLM budget for {d.date} (UTC)</h2>
      <p>
        <span className="big-number">{usd(d.total_spend_usd)}</span> <span className="muted">of {usd(d.hard_limit_usd)}</span>{' '}
        {d.blocked ? (
          <span className="badge status-behind">blocked</span>
        ) : d.at_warning ? (
          <span className="badge status-provisional">at warning</span>
        ) : (
          <span className="badge status-ok">ok</span>
        )}
      </p>
      <meter
        min={0}
        max={d.hard_limit_usd}
        low={d.warning_threshold_usd}
        high={d.warning_threshold_usd}
        optimum={0}
        value={d.total_spend_usd}
        aria-label="Spend against the daily hard limit"
      >
        {usd(d.total_spend_usd)}
      </meter>
      <dl className="facts">
        <dt>LLM calls</dt>
        <dd>{usd(d.llm_spend_usd)}</dd>
        <dt>Embeddings</dt>
        <dd>{usd(d.embedding_spend_usd)}</dd>
        <dt>Warning at</dt>
        <dd>{usd(d.warning_threshold_usd)}</dd>
        <dt>Hard limit</dt>
        <dd>{usd(d.hard_limit_usd)}</dd>
      </dl>
      <button type="button" className="secondary" onClick={b.reload}>
        Refresh
      </button>
    </section>
  );
}

function Ingestion() {
  const runs = useApi<Page<IngestRun> & { failed_jobs?: FailedJob[] }>('/v1/admin/ingest-runs', { limit: 50 }, { admin: true });
  const [status, say] = useStatus();
  const trigger = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const source = String(new FormData(e.currentTarget).get('source') ?? '').trim();
    try {
      const res = await api<Raw>('/v1/admin/ingest', { method: 'POST', admin: true, body: source ? { source } : {} });
      const sources = Array.isArray(res.sources) && res.sources.length > 0 ? (res.sources as string[]).join(', ') : 'all sources';
      say(`Ingestion ${res.status === 'queued' ? 'queued' : 'started'} for ${sources}${res.job_id ? ` (job ${String(res.job_id)})` : ''}.`);
      runs.reload();
    } catch (err) {
      say((err as Error).message, true);
    }
  };
  const recompute = async () => {
    try {
      await api('/v1/admin/recompute', { method: 'POST', admin: true, body: {} });
      say('Recompute requested.');
    } catch (err) {
      say((err as Error).message, true);
    }
  };
  return (
    <section aria-labelledby="ingest-heading">
      <h2 id="ingest-heading">Ingestion runs</h2>
      {status}
      <form className="card inline-form" onSubmit={trigger}>
        <label htmlFor="ingest-source">Source (empty: all sources)</label>
        <input id="ingest-source" name="source" placeholder="e.g. arxiv" />
        <button type="submit">Run ingestion now</button>
        <button type="button" className="secondary" onClick={() => void recompute()}>
          Recompute index
        </button>
      </form>
      {runs.error ? (
        <ErrorNotice error={runs.error} what="ingestion runs" />
      ) : !runs.data ? (
        <Loading />
      ) : (
        <>
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">Ingestion runs, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Source</th>
                  <th scope="col">Trigger</th>
                  <th scope="col">Started</th>
                  <th scope="col">Status</th>
                  <th scope="col">Fetched</th>
                  <th scope="col">New</th>
                  <th scope="col">Duplicates</th>
                  <th scope="col">Errors</th>
                </tr>
              </thead>
              <tbody>
                {results(runs.data).map((r) => (
                  <tr key={String(r.id)}>
                    <td>{r.source}</td>
                    <td>{r.trigger}</td>
                    <td>{dateTime(r.started_at)}</td>
                    <td>
                      <StatusBadge status={r.status} />
                      {r.error_message ? <span className="small muted"> {r.error_message}</span> : null}
                    </td>
                    <td>{r.fetched}</td>
                    <td>{r.new}</td>
                    <td>{r.duplicates}</td>
                    <td>{r.errors}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {results(runs.data).length === 0 && <p className="muted">No ingestion run recorded yet.</p>}
          {runs.data.failed_jobs && runs.data.failed_jobs.length > 0 && (
            <>
              <h3>Failed jobs (retries exhausted)</h3>
              <ul className="small">
                {runs.data.failed_jobs.map((j) => (
                  <li key={j.id}>
                    {dateTime(j.created_at)} · <code>{j.name}</code> · {j.attempts_made} attempts · {j.failed_reason}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}

export function AdminPage({ tab }: { tab?: string }) {
  const [hasKey, setHasKey] = useState(() => adminKey.get() !== null);
  const current = TABS.find((t) => t.path === tab) ?? TABS[0];
  return (
    <>
      <div className="page-head">
        <h1>Curation and operations</h1>
      </div>
      {!hasKey ? (
        <KeyForm onSaved={() => setHasKey(true)} />
      ) : (
        <>
          <div className="admin-bar">
            <nav aria-label="Admin sections" className="chips">
              {TABS.map((t) => (
                <Link key={t.path} to={`/admin/${t.path}`} aria-current={t.path === current.path ? 'page' : undefined}>
                  {t.label}
                </Link>
              ))}
            </nav>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                adminKey.clear();
                setHasKey(false);
              }}
            >
              Forget key
            </button>
          </div>
          {current.path === 'review' && <ReviewQueue />}
          {current.path === 'keys' && <ApiKeys />}
          {current.path === 'audit' && <AuditLog />}
          {current.path === 'budget' && <Budget />}
          {current.path === 'ingest' && <Ingestion />}
        </>
      )}
    </>
  );
}

export default AdminPage;
