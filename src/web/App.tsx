// Routes: /login, and /o/:org/… for an organisation's views. The overview and login ship in the
// first bundle; the other views (and Observable Plot) load when first opened.
import { lazy, Suspense, useEffect } from 'react';
import { Redirect, Route, Switch, useLocation, useParams, useSearch } from 'wouter';
import { SessionProvider, useSession } from './lib/session.tsx';
import { OrgProvider } from './lib/org.tsx';
import { useFilters } from './lib/filters.ts';
import { Shell } from './components/Shell.tsx';
import { FilterBar } from './components/FilterBar.tsx';
import { EmptyState, ErrorState, Loading } from './components/states.tsx';
import { Login } from './views/Login.tsx';
import { Overview } from './views/Overview.tsx';
import { safeNextPath } from './lib/next-path.ts';

const Journey = lazy(() => import('./views/Journey.tsx'));
const Verbatims = lazy(() => import('./views/Verbatims.tsx'));
const Themes = lazy(() => import('./views/Themes.tsx'));
const Setup = lazy(() => import('./views/setup/Setup.tsx'));
const Invite = lazy(() => import('./views/Invite.tsx'));
const Import = lazy(() => import('./views/Import.tsx'));
const Feedback = lazy(() => import('./views/Feedback.tsx')); // issue 9: feedback batches, in the Import area
const Campaigns = lazy(() => import('./views/Campaigns.tsx'));
const Drivers = lazy(() => import('./views/Drivers.tsx'));
const Calibration = lazy(() => import('./views/Calibration.tsx'));
const Breakdown = lazy(() => import('./views/Breakdown.tsx'));
const Trends = lazy(() => import('./views/Trends.tsx'));
const Benchmarks = lazy(() => import('./views/Benchmarks.tsx'));
const Initiatives = lazy(() => import('./views/Initiatives.tsx')); // issue 13: the outer loop
const Cases = lazy(() => import('./views/Cases.tsx')); // issue 13: the inner loop (follow-up cases)

function PageLoading() {
  return (
    <div className="page">
      <Loading label="page" height={320} />
    </div>
  );
}

function OrgViews() {
  const [location] = useLocation();
  const [filters, setFilters] = useFilters();
  // Filters apply to the analytics views, not to set-up.
  const analytics = !location.startsWith('/setup') && !location.startsWith('/import') && !location.startsWith('/campaigns') && !location.startsWith('/initiatives') && !location.startsWith('/cases');
  return (
    <Shell filterBar={analytics ? <FilterBar filters={filters} onChange={setFilters} /> : undefined}>
      <Suspense fallback={<PageLoading />}>
        <Switch>
          <Route path="/" component={Overview} />
          <Route path="/journey" component={Journey} />
          <Route path="/verbatims" component={Verbatims} />
          <Route path="/themes" component={Themes} />
          <Route path="/drivers" component={Drivers} />
          <Route path="/calibration" component={Calibration} />
          <Route path="/breakdown" component={Breakdown} />
          <Route path="/trends" component={Trends} />
          <Route path="/benchmarks" component={Benchmarks} />
          <Route path="/import/feedback" component={Feedback} />
          <Route path="/import" component={Import} />
          <Route path="/cases" nest>
            <Cases />
          </Route>
          <Route path="/initiatives" nest>
            <Initiatives />
          </Route>
          <Route path="/campaigns" nest>
            <Campaigns />
          </Route>
          <Route path="/setup" nest>
            <Setup />
          </Route>
          <Route>
            <div className="page">
              <EmptyState title="Page not found" action={<a href="/">Back to the overview</a>}>
                There is no page at this address.
              </EmptyState>
            </div>
          </Route>
        </Switch>
      </Suspense>
    </Shell>
  );
}

function OrgApp() {
  const { org } = useParams<{ org: string }>();
  const { session } = useSession();
  useEffect(() => {
    if (session?.organisations.some((o) => o.id === decodeURIComponent(org))) localStorage.setItem(LAST_ORG, decodeURIComponent(org));
  }, [org, session]);
  return (
    <OrgProvider
      orgId={decodeURIComponent(org)}
      fallback={
        <div className="page">
          <EmptyState title="Organisation not found" action={<a href="/">Go to your organisations</a>}>
            You are not a member of “{decodeURIComponent(org)}”, or it does not exist.
          </EmptyState>
        </div>
      }
    >
      <OrgViews />
    </OrgProvider>
  );
}

const LAST_ORG = 'parallax:last-organisation';

function Home() {
  const { session } = useSession();
  // The organisation used last on this device, else the first.
  const last = typeof localStorage !== 'undefined' ? localStorage.getItem(LAST_ORG) : null;
  const first = session?.organisations.find((o) => o.id === last) ?? session?.organisations[0];
  if (!first)
    return (
      <div className="page">
        <EmptyState title="No organisation yet">
          Your account is not a member of any organisation. Ask an admin to add you, or create one with <code>parallax org create</code>.
        </EmptyState>
      </div>
    );
  return <Redirect to={`/o/${encodeURIComponent(first.id)}`} replace />;
}

function Routes() {
  const { status, error, refresh } = useSession();
  const [location] = useLocation();
  const search = useSearch();
  if (status === 'loading') return <PageLoading />;
  // An invitation link works logged in or out (the page itself says which account may accept it).
  const invite = /^\/invite\/([^/]+)$/.exec(location);
  if (invite)
    return (
      <Suspense fallback={<PageLoading />}>
        <Invite token={invite[1]!} />
      </Suspense>
    );
  if (status === 'unavailable')
    return (
      <div className="page">
        <ErrorState title="Parallax is not reachable" error={new Error(error ?? 'unknown error')} onRetry={() => void refresh()} />
      </div>
    );
  if (status === 'signed-out') {
    if (location === '/login') return <Login />;
    const next = `${location}${search ? `?${search}` : ''}`;
    return <Redirect to={`/login${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`} replace />;
  }
  return (
    <Switch>
      <Route path="/login">
        <AfterLogin />
      </Route>
      <Route path="/o/:org" nest>
        <OrgApp />
      </Route>
      <Route>
        <Home />
      </Route>
    </Switch>
  );
}

/** Signed in on /login: go where the person was heading (same-site paths only). */
function AfterLogin() {
  const next = new URLSearchParams(useSearch()).get('next');
  return <Redirect to={safeNextPath(next, window.location.origin)} replace />;
}

export function App() {
  return (
    <SessionProvider>
      <Routes />
    </SessionProvider>
  );
}
