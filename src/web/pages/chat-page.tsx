import { useEffect, useRef, useState, type FormEvent } from 'react';
import { requestHeaders, toApiError } from '../api/client.js';
import { readSse } from '../api/sse.js';
import { useApi } from '../api/use-api.js';
import type { ChatSource } from '../api/types.js';
import { ExternalLink, hostOf } from '../components/external-link.js';
import { ErrorNotice } from '../components/status.js';
import { TierBadge } from '../components/tier-badge.js';
import { SafeMarkdown } from '../markdown/safe-markdown.js';
import { day } from '../format.js';
import { Link } from '../router.js';

interface Turn {
  id: number;
  question: string;
  answer: string;
  sources: ChatSource[];
  done: boolean;
  offline?: boolean;
  offlineReason?: string;
  /** Server notes on the answer (citations removed, uncited sentences, a new session). */
  warnings?: string[];
  error?: Error;
}

type Raw = Record<string, unknown>;

function json(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

/** A token event carries {text} (or token/delta/content); a bare string is the text itself. */
function tokenText(data: string): string {
  const v = json(data);
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const r = v as Raw;
    for (const k of ['text', 'token', 'delta', 'content']) if (typeof r[k] === 'string') return r[k] as string;
  }
  return v === undefined ? data : '';
}

function sourcesFrom(v: unknown): ChatSource[] {
  const list = Array.isArray(v) ? v : v && typeof v === 'object' ? ((v as Raw).sources ?? (v as Raw).results) : undefined;
  return Array.isArray(list) ? list.filter((s): s is ChatSource => !!s && typeof s === 'object') : [];
}

function sourceNumber(s: ChatSource, i: number): number {
  const n = s.n ?? s.index;
  return typeof n === 'number' ? n : i + 1;
}

function suggestionList(v: unknown): string[] {
  const list = Array.isArray(v) ? v : v && typeof v === 'object' ? ((v as Raw).suggestions ?? (v as Raw).results) : [];
  return Array.isArray(list)
    ? list.map((s) => (typeof s === 'string' ? s : typeof (s as Raw)?.text === 'string' ? ((s as Raw).text as string) : '')).filter(Boolean)
    : [];
}

/** Sources are retrieved evidence and signposts: their titles are ingested text, shown as text. */
function Sources({ turn }: { turn: Turn }) {
  if (turn.sources.length === 0) return null;
  return (
    <div className="sources">
      <h3 id={`sources-${turn.id}`}>Sources</h3>
      <ol aria-labelledby={`sources-${turn.id}`}>
        {turn.sources.map((s, i) => {
          const n = sourceNumber(s, i);
          const host = hostOf(s.url);
          return (
            <li key={n} id={`src-${turn.id}-${n}`} value={n} tabIndex={-1}>
              {s.tier ? <TierBadge tier={s.tier} /> : null}{' '}
              {s.kind === 'signpost' && s.id !== undefined ? (
                <Link to={`/signposts/${encodeURIComponent(String(s.id))}`}>{s.title}</Link>
              ) : s.id !== undefined ? (
                <Link to={`/events/${encodeURIComponent(String(s.id))}`}>{s.title}</Link>
              ) : (
                s.title
              )}
              <span className="small muted">
                {s.kind === 'signpost' ? ' · signpost' : ''}
                {s.publisher ? ` · ${s.publisher}` : ''}
                {s.published_at ? ` · ${day(s.published_at)}` : ''}
              </span>
              {host && s.kind !== 'signpost' ? (
                <span className="small">
                  {' '}
                  · <ExternalLink href={s.url}>{host}</ExternalLink>
                </span>
              ) : null}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

export function ChatPage() {
  const suggestions = useApi<unknown>('/v1/chat/suggestions');
  const [turns, setTurns] = useState<Turn[]>([]);
  const [question, setQuestion] = useState('');
  const [sessionId, setSessionId] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const controller = useRef<AbortController | null>(null);
  const nextId = useRef(1);

  useEffect(() => () => controller.current?.abort(), []);

  const update = (id: number, patch: (t: Turn) => Partial<Turn>) =>
    setTurns((ts) => ts.map((t) => (t.id === id ? { ...t, ...patch(t) } : t)));

  const ask = async (message: string) => {
    const text = message.trim();
    if (!text || busy) return;
    const id = nextId.current++;
    setTurns((ts) => [...ts, { id, question: text, answer: '', sources: [], done: false }]);
    setQuestion('');
    setBusy(true);
    setAnnouncement('Answering…');
    const ctrl = new AbortController();
    controller.current = ctrl;
    try {
      const headers = requestHeaders({ json: true, accept: 'text/event-stream' });
      const res = await fetch('/v1/chat', {
        method: 'POST',
        headers,
        body: JSON.stringify({ message: text, stream: true, ...(sessionId ? { session_id: sessionId } : {}) }),
        signal: ctrl.signal,
      });
      if (!res.ok) throw await toApiError(res);
      const type = res.headers.get('content-type') ?? '';
      if (!type.includes('text/event-stream') || !res.body) {
        // The server may answer in one JSON document instead of a stream.
        const body = (await res.json()) as Raw;
        if (typeof body.session_id === 'string') setSessionId(body.session_id);
        update(id, () => ({
          answer: String(body.answer ?? ''),
          sources: sourcesFrom(body.sources),
          offline: body.mode === 'offline',
          warnings: Array.isArray(body.warnings)
            ? (body.warnings as unknown[]).filter((w): w is string => typeof w === 'string')
            : undefined,
          offlineReason: typeof body.offline_reason === 'string' ? body.offline_reason : undefined,
        }));
      } else {
        for await (const ev of readSse(res.body, ctrl.signal)) {
          if (ev.event === 'token') {
            const piece = tokenText(ev.data);
            update(id, (t) => ({ answer: t.answer + piece }));
          } else if (ev.event === 'sources') {
            const d = json(ev.data) as Raw | undefined;
            if (d && typeof d.session_id === 'string') setSessionId(d.session_id);
            update(id, () => ({ sources: sourcesFrom(d) }));
          } else if (ev.event === 'done') {
            const d = json(ev.data) as Raw | undefined;
            if (d && typeof d.session_id === 'string') setSessionId(d.session_id);
            if (d && typeof d.answer === 'string') update(id, () => ({ answer: d.answer as string }));
            if (d && Array.isArray(d.sources)) update(id, () => ({ sources: sourcesFrom(d.sources) }));
            if (d && Array.isArray(d.warnings))
              update(id, () => ({ warnings: (d.warnings as unknown[]).filter((w): w is string => typeof w === 'string') }));
            if (d && d.mode === 'offline')
              update(id, () => ({ offline: true, offlineReason: typeof d.offline_reason === 'string' ? d.offline_reason : undefined }));
          } else if (ev.event === 'error') {
            const d = json(ev.data) as Raw | undefined;
            const msg = (d && (d.detail ?? d.title ?? d.message)) as string | undefined;
            throw new Error(msg ?? 'The answer could not be completed.');
          }
        }
      }
      update(id, () => ({ done: true }));
      setAnnouncement('Answer complete.');
    } catch (e) {
      if (ctrl.signal.aborted) {
        update(id, () => ({ done: true, error: new Error('Stopped.') }));
        setAnnouncement('Stopped.');
      } else {
        update(id, () => ({ done: true, error: e as Error }));
        setAnnouncement('The answer failed.');
      }
    } finally {
      setBusy(false);
      controller.current = null;
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void ask(question);
  };

  const chips = suggestionList(suggestions.data);
  return (
    <>
      <div className="page-head">
        <h1>Ask the evidence</h1>
        <p className="lede">
          Answers come only from the tracker’s evidence and signposts, with numbered citations. Without a model configured, answers are
          extracted from the top sources and labelled as such.
        </p>
      </div>
      <section className="conversation" aria-label="Conversation">
        {turns.length === 0 && chips.length > 0 && (
          <div>
            <h2 className="small-heading">Try asking</h2>
            <ul className="button-row plain-list">
              {chips.map((s) => (
                <li key={s}>
                  <button type="button" className="secondary" onClick={() => void ask(s)} disabled={busy}>
                    {s}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
        {turns.map((t) => (
          <article key={t.id} className="turn" aria-busy={!t.done}>
            <h2 className="question">
              <span className="visually-hidden">Question: </span>
              {t.question}
            </h2>
            <div className="answer">
              {t.offline && (
                <p className="badge offline-label">
                  Offline mode: extracted from the top sources, not written by a model{t.offlineReason ? ` (${t.offlineReason})` : ''}
                </p>
              )}
              {t.answer ? (
                <SafeMarkdown
                  text={t.answer}
                  citationHref={(n) => (t.sources.some((s, i) => sourceNumber(s, i) === n) ? `#src-${t.id}-${n}` : undefined)}
                />
              ) : !t.done ? (
                <p className="muted">Thinking…</p>
              ) : null}
              {t.warnings && t.warnings.length > 0 && (
                <ul className="small muted warnings">
                  {t.warnings.map((w) => (
                    <li key={w}>{w}</li>
                  ))}
                </ul>
              )}
              {t.error && <ErrorNotice error={t.error} />}
            </div>
            <Sources turn={t} />
          </article>
        ))}
      </section>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      <form className="ask" onSubmit={onSubmit}>
        <label htmlFor="chat-message">Your question</label>
        <textarea
          id="chat-message"
          value={question}
          maxLength={2000}
          rows={3}
          onChange={(e) => setQuestion(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              void ask(question);
            }
          }}
        />
        <p className="small muted">Enter sends; Shift+Enter adds a line.</p>
        <div className="button-row">
          <button type="submit" disabled={busy || question.trim() === ''}>
            Ask
          </button>
          {busy && (
            <button type="button" className="secondary" onClick={() => controller.current?.abort()}>
              Stop
            </button>
          )}
          {!busy && turns.length > 0 && (
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setTurns([]);
                setSessionId(undefined);
                setAnnouncement('New conversation.');
              }}
            >
              New conversation
            </button>
          )}
        </div>
      </form>
    </>
  );
}

export default ChatPage;
