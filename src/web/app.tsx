import { lazy, Suspense, useEffect, useRef, type ReactNode } from 'react';
import { Loading } from './components/status.js';
import { DashboardPage } from './pages/dashboard-page.js';
import { EventDetailPage } from './pages/event-detail-page.js';
import { EventsPage } from './pages/events-page.js';
import { MethodologyPage } from './pages/methodology-page.js';
import { SignpostDetailPage } from './pages/signpost-detail-page.js';
import { SignpostsPage } from './pages/signposts-page.js';
import { WhatIfPage } from './pages/what-if-page.js';
import { Link, matchPath, useLocation } from './router.js';

// Chat and admin are split out of the first load: most visitors only read the dashboard.
const ChatPage = lazy(() => import('./pages/chat-page.js'));
const AdminPage = lazy(() => import('./pages/admin-page.js'));

const NAV = [
  { to: '/', label: 'Dashboard' },
  { to: '/events', label: 'Evidence' },
  { to: '/signposts', label: 'Signposts' },
  { to: '/what-if', label: 'What if' },
  { to: '/chat', label: 'Ask' },
  { to: '/methodology', label: 'Methodology' },
  { to: '/admin', label: 'Admin' },
];

interface Routed {
  title: string;
  section: string;
  page: ReactNode;
}

function route(path: string): Routed {
  let m: Record<string, string> | null;
  if (path === '/') return { title: 'Dashboard', section: '/', page: <DashboardPage /> };
  if (path === '/events') return { title: 'Evidence', section: '/events', page: <EventsPage /> };
  if ((m = matchPath('/events/:id', path)))
    return { title: 'Evidence item', section: '/events', page: <EventDetailPage key={m.id} id={m.id!} /> };
  if (path === '/signposts') return { title: 'Signposts', section: '/signposts', page: <SignpostsPage /> };
  if ((m = matchPath('/signposts/:code', path)))
    return { title: 'Signpost', section: '/signposts', page: <SignpostDetailPage key={m.code} code={m.code!} /> };
  if (path === '/what-if') return { title: 'What if', section: '/what-if', page: <WhatIfPage /> };
  if (path === '/chat') return { title: 'Ask the evidence', section: '/chat', page: <ChatPage /> };
  if (path === '/methodology') return { title: 'Methodology', section: '/methodology', page: <MethodologyPage /> };
  if (path === '/admin') return { title: 'Admin', section: '/admin', page: <AdminPage /> };
  if ((m = matchPath('/admin/:tab', path))) return { title: 'Admin', section: '/admin', page: <AdminPage tab={m.tab} /> };
  return {
    title: 'Page not found',
    section: '',
    page: (
      <>
        <h1>Page not found</h1>
        <p>
          There is no page at this address. Go to the <Link to="/">dashboard</Link>.
        </p>
      </>
    ),
  };
}

export function App() {
  const { path } = useLocation();
  const main = useRef<HTMLElement>(null);
  const shownPath = useRef<string | null>(null);
  const routed = route(path.replace(/\/+$/, '') || '/');

  // On client-side navigation to another page, move focus to it (screen readers announce the new
  // page) and scroll to the top. Not on first load, and not when only the query changes (filters).
  useEffect(() => {
    document.title = `${routed.title} · AGI Tracker`;
    if (shownPath.current !== null && shownPath.current !== path) {
      window.scrollTo(0, 0);
      main.current?.focus();
    }
    shownPath.current = path;
  }, [path, routed.title]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="wrap header-inner">
          <Link to="/" className="brand">
            AGI Tracker
          </Link>
          <nav aria-label="Main">
            <ul>
              {NAV.map((n) => (
                <li key={n.to}>
                  <Link to={n.to} aria-current={routed.section === n.to ? 'page' : undefined}>
                    {n.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1} className="wrap">
        <Suspense fallback={<Loading />}>{routed.page}</Suspense>
      </main>
      <footer className="site-footer">
        <div className="wrap">
          <p>
            Evidence-first and open: <Link to="/methodology">methodology</Link> · <a href="/docs">API</a> ·{' '}
            <a href="/v1/feed.xml">Atom feed</a> · <a href="/v1/export/events.csv">download the evidence</a>
          </p>
        </div>
      </footer>
    </>
  );
}
