// Set-up: the gap framework, the journey, surveys, users and roles, organisation settings.
// Everyone may look; only admins and analysts change set-up, and only admins manage users.
import { lazy } from 'react';
import { Link, Redirect, Route, Switch, useLocation } from 'wouter';
import { useOrg } from '../../lib/org.tsx';
import { ROLE_LABELS } from '../../../core/number-format.ts';
import { usePageTitle } from '../../components/Shell.tsx';
import { FrameworkEditor } from './FrameworkEditor.tsx';

const JourneyEditor = lazy(() => import('./JourneyEditor.tsx'));
const SegmentsEditor = lazy(() => import('./SegmentsEditor.tsx'));
const Surveys = lazy(() => import('./Surveys.tsx'));
const Members = lazy(() => import('./Members.tsx'));
const OrgSettings = lazy(() => import('./OrgSettings.tsx'));
const AuditLog = lazy(() => import('./AuditLog.tsx'));
const AlertsSettings = lazy(() => import('./AlertsSettings.tsx'));

const TABS = [
  { href: '/framework', label: 'Gap framework' },
  { href: '/journey', label: 'Journey' },
  { href: '/segments', label: 'Segments' },
  { href: '/surveys', label: 'Surveys' },
  { href: '/members', label: 'Users & roles' },
  { href: '/organisation', label: 'Organisation' },
  { href: '/alerts', label: 'Alerts & webhooks' },
  { href: '/audit-log', label: 'Audit log' },
];

export function ReadOnlyNote({ what = 'the set-up' }: { what?: string }) {
  const { membership } = useOrg();
  return (
    <p className="banner info small">
      As {/^[aeiou]/i.test(ROLE_LABELS[membership.role]!) ? 'an' : 'a'} {ROLE_LABELS[membership.role]!.toLowerCase()} you can see {what} but not change it; admins and analysts
      can.
    </p>
  );
}

export default function Setup() {
  const [location] = useLocation();
  const tab = TABS.find((t) => location.startsWith(t.href)) ?? TABS[0]!;
  usePageTitle(`Set-up: ${tab.label}`);
  return (
    <div className="page">
      <div className="page-head">
        <h1>Set-up</h1>
        <p>What Parallax measures, where, and who sees it.</p>
      </div>
      <div className="setup">
        <nav className="setup-nav" aria-label="Set-up sections">
          {TABS.map((t) => (
            <Link key={t.href} href={t.href} aria-current={t === tab ? 'page' : undefined}>
              {t.label}
            </Link>
          ))}
        </nav>
        <div>
          <Switch>
            <Route path="/framework" component={FrameworkEditor} />
            <Route path="/journey" component={JourneyEditor} />
            <Route path="/segments" component={SegmentsEditor} />
            <Route path="/surveys" component={Surveys} />
            <Route path="/members" component={Members} />
            <Route path="/organisation" component={OrgSettings} />
            <Route path="/alerts" component={AlertsSettings} />
            <Route path="/audit-log" component={AuditLog} />
            <Route>
              <Redirect to="/framework" replace />
            </Route>
          </Switch>
        </div>
      </div>
    </div>
  );
}
