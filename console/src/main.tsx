import { render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ConsoleConfig } from '#shared/http/console-config.ts';
import { apiClient } from './api.ts';
import { Console, type ConsoleContext } from './context.ts';
import type { Process } from './model.ts';
import { ImportPage } from './pages/import.tsx';
import { Overview } from './pages/overview.tsx';
import { ReportsPage } from './pages/reports.tsx';
import { ReviewPage } from './pages/review.tsx';
import { hrefOf, type Route, useRoute } from './route.ts';
import {
  beginSignIn,
  clearSession,
  completeSignIn,
  type Session,
  savedSession,
  saveSession,
  signOutUrl,
} from './session.ts';
import { ErrorMessage, explain, Loading, useLoad } from './ui.tsx';
import './styles.css';

/**
 * The Secretariat console (DESIGN §10): a client of the public API and nothing more. It reads
 * `config.json` beside itself (where the API is, how to sign in), signs in, then shows the page
 * the address names.
 */

const ROLE_WORDS = { secretariat: 'Secretariat officer', viewer: 'viewer (read only)' } as const;

function SignIn({ config, error }: { config: ConsoleConfig; error: unknown }) {
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = 'Sign in · Review Mechanism console';
  }, []);
  return (
    <main id="main" class="sign-in">
      <h1>Review Mechanism console</h1>
      <p>For Secretariat officers of the UNODC: the country reviews and what needs attention.</p>
      <ErrorMessage error={error} />
      {config.auth.kind === 'local' ? (
        <section aria-labelledby="tokens-heading" class="card">
          <h2 id="tokens-heading">Local mode: pick a token</h2>
          <ul class="tokens">
            {config.auth.tokens.map(({ token, role }) => (
              <li>
                <button
                  type="button"
                  class={role === 'secretariat' ? 'primary' : 'secondary'}
                  onClick={() => {
                    saveSession({ token, role, label: token });
                    location.reload();
                  }}
                >
                  Sign in as {ROLE_WORDS[role]} ({token})
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <button
          type="button"
          class="primary"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            if (config.auth.kind === 'oidc') void beginSignIn(config.auth);
          }}
        >
          Sign in
        </button>
      )}
    </main>
  );
}

const TITLES: Record<Route['page'], string> = {
  overview: 'Overview',
  review: 'Review',
  import: 'Import',
  reports: 'Reports',
  unknown: 'Not found',
};

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'overview':
      return <Overview />;
    case 'review':
      return <ReviewPage id={route.id} />;
    case 'import':
      return <ImportPage />;
    case 'reports':
      return <ReportsPage />;
    default:
      return (
        <>
          <h1>Not found</h1>
          <p>
            There is no such page. <a href={hrefOf.overview()}>Go to the overview</a>.
          </p>
        </>
      );
  }
}

function SignedIn({ config, session }: { config: ConsoleConfig; session: Session }) {
  const route = useRoute();
  const api = useMemo(
    () =>
      apiClient(config.apiUrl, session.token, () => {
        clearSession();
        location.reload();
      }),
    [config.apiUrl, session.token],
  );
  const processes = useLoad(() => api.get<{ items: Process[] }>('/processes'), [api]);
  const context = useMemo<ConsoleContext | undefined>(() => {
    if (!processes.data) return undefined;
    const map = new Map(processes.data.items.map((p) => [p.id, p]));
    const timeZone = (map.get('untoc') ?? processes.data.items[0])?.timeZone ?? 'UTC';
    return { api, session, processes: map, timeZone };
  }, [api, session, processes.data]);

  // A new page: its title, and the focus on its content (the page may still be loading its
  // heading), as a screen reader or keyboard user expects of a page load. Not on the first page.
  const firstRoute = useRef(true);
  useEffect(() => {
    document.title = `${TITLES[route.page]} · Review Mechanism console`;
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    document.getElementById('main')?.focus();
    window.scrollTo(0, 0);
  }, [route]);

  const signOut = () => {
    clearSession();
    const url = signOutUrl(config.auth);
    if (url) location.assign(url);
    else location.reload();
  };
  const current = (page: Route['page']) => (route.page === page ? 'page' : undefined);
  return (
    <>
      {/* A button, not a link to `#main`: routes live in the fragment, which that link would replace. */}
      <button type="button" class="skip" onClick={() => document.getElementById('main')?.focus()}>
        Skip to the content
      </button>
      <header class="top">
        <span class="brand">Review Mechanism console</span>
        <nav aria-label="Main">
          <a href={hrefOf.overview()} aria-current={current('overview')}>
            Overview
          </a>
          <a href={hrefOf.import()} aria-current={current('import')}>
            Import
          </a>
          <a href={hrefOf.reports()} aria-current={current('reports')}>
            Reports
          </a>
        </nav>
        <span class="who">
          Signed in as {session.label}, {ROLE_WORDS[session.role]}
          <button type="button" class="link" onClick={signOut}>
            Sign out
          </button>
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        {context ? (
          <Console.Provider value={context}>
            <Page route={route} />
          </Console.Provider>
        ) : processes.error ? (
          <>
            <h1>The console cannot start</h1>
            <ErrorMessage error={processes.error}>{explain(processes.error)}</ErrorMessage>
          </>
        ) : (
          <Loading what="the process definitions" />
        )}
      </main>
    </>
  );
}

function App({ config, session, error }: { config: ConsoleConfig; session?: Session; error?: unknown }) {
  return session ? <SignedIn config={config} session={session} /> : <SignIn config={config} error={error} />;
}

async function start(root: HTMLElement): Promise<void> {
  let config: ConsoleConfig;
  try {
    const response = await fetch('./config.json', { cache: 'no-store' });
    config = ConsoleConfig.parse(await response.json());
  } catch (error) {
    render(
      <main id="main">
        <h1>The console cannot start</h1>
        <p role="alert">Its configuration (config.json) could not be read: {String(error)}</p>
      </main>,
      root,
    );
    return;
  }
  let session = savedSession();
  let error: unknown;
  if (config.auth.kind === 'oidc') {
    try {
      session = (await completeSignIn(config.auth)) ?? session;
    } catch (caught) {
      error = caught;
    }
  }
  render(<App config={config} {...(session ? { session } : {})} error={error} />, root);
}

const root = document.getElementById('app');
if (root) void start(root);
