// The frame around every signed-in page: skip link, header with navigation, organisation switcher
// and user menu, the filter bar on analytics views, and <main>.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { useSession } from '../lib/session.tsx';
import { useOrg } from '../lib/org.tsx';
import { parseFilters, reportQuery } from '../lib/filters.ts';
import { initials, ROLE_LABELS } from '../../core/number-format.ts';
import { PasswordDialog } from './PasswordDialog.tsx';

export function Logo({ size = 26 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      <circle cx="12" cy="16" r="9" fill="var(--leaders)" />
      <circle cx="20" cy="16" r="9" fill="var(--customers)" fillOpacity="0.85" />
    </svg>
  );
}

const NAV = [
  { href: '/', label: 'Overview', filters: true },
  { href: '/journey', label: 'Journey', filters: true },
  { href: '/verbatims', label: 'Verbatims', filters: true },
  { href: '/themes', label: 'Themes', filters: true },
  // One entry for the analyses (drivers, calibration, breakdown, trends, benchmarks); they link to each other.
  { href: '/drivers', label: 'Analyses', filters: true, sections: ['/drivers', '/calibration', '/breakdown', '/trends', '/benchmarks'] },
  { href: '/setup', label: 'Set-up', filters: false },
  { href: '/import', label: 'Import', filters: false, admin: true },
  // The campaigns and contacts API is for admins and analysts (access "setup").
  { href: '/campaigns', label: 'Campaigns', filters: false, setup: true },
  { href: '/initiatives', label: 'Initiatives', filters: false },
  { href: '/cases', label: 'Cases', filters: false }, // issue 13: follow-up cases (viewers see a note)
];

function OrgSwitcher() {
  const { session } = useSession();
  const { orgId } = useOrg();
  const [location, navigate] = useLocation();
  const orgs = session?.organisations ?? [];
  const current = orgs.find((o) => o.id === orgId);
  if (orgs.length <= 1) return <span className="org-name" title={current?.name}>{current?.name}</span>;
  return (
    <div className="org-switcher">
      <label htmlFor="org-switcher" className="sr-only">
        Organisation
      </label>
      <select
        id="org-switcher"
        value={orgId}
        onChange={(e) => {
          // Same view in the other organisation; filters belong to one organisation's data, so they go.
          const view = location.startsWith('/setup') ? location : `/${location.split('/')[1] ?? ''}`;
          navigate(`~/o/${encodeURIComponent(e.target.value)}${view === '/' ? '' : view}`);
        }}
      >
        {orgs.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </div>
  );
}

function UserMenu() {
  const { session, logout } = useSession();
  const { membership } = useOrg();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent) {
        if (e.key === 'Escape') {
          setOpen(false);
          ref.current?.querySelector('button')?.focus();
        }
      } else if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);
  if (!session) return null;
  const name = session.user.name || session.user.email;
  return (
    <div className="user-menu" ref={ref}>
      <button type="button" aria-expanded={open} aria-controls="user-menu-panel" onClick={() => setOpen(!open)}>
        <span className="avatar" aria-hidden="true">
          {initials(name)}
        </span>
        <span className="user-label">{name}</span>
        <span className="sr-only">, account menu</span>
      </button>
      {open && (
        <div className="user-menu-panel" id="user-menu-panel">
          <div className="who">
            <strong>{name}</strong>
            <small>{session.user.email}</small>
            <small>
              {ROLE_LABELS[membership.role]}
              {membership.department ? ` · ${membership.department}` : ''}
            </small>
          </div>
          <button
            type="button"
            className="menu-item"
            onClick={() => {
              setOpen(false);
              setPassword(true);
            }}
          >
            Change password
          </button>
          <button type="button" className="menu-item" onClick={() => void logout()}>
            Log out
          </button>
        </div>
      )}
      {password && <PasswordDialog onClose={() => setPassword(false)} />}
    </div>
  );
}

export function Shell({ children, filterBar }: { children: ReactNode; filterBar?: ReactNode }) {
  const [location] = useLocation();
  const search = useSearch();
  const q = reportQuery(parseFilters(search));
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  const { membership } = useOrg();
  const section = `/${location.split('/')[1] ?? ''}`;
  // After navigation (not on first load, not on a filter change) focus goes to the new page's
  // content, so keyboard and screen-reader users start there, as after a page load.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus({ preventScroll: false });
  }, [section]);
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="app-header">
        <div className="app-header-inner">
          <Link href="/" className="brand" aria-label="Parallax overview">
            <Logo />
            <span>Parallax</span>
          </Link>
          <nav className="main-nav" aria-label="Main">
            {NAV.filter((n) => (!('admin' in n) || membership.canAdmin) && (!('setup' in n) || membership.canSetup)).map((n) => {
              const active = n.href === '/' ? section === '/' : 'sections' in n && n.sections ? n.sections.includes(section) : section === n.href;
              return (
                <Link key={n.href} href={n.filters ? `${n.href}${q}` : n.href} aria-current={active ? 'page' : undefined}>
                  {n.label}
                </Link>
              );
            })}
          </nav>
          <div className="header-end">
            <OrgSwitcher />
            <UserMenu />
          </div>
        </div>
      </header>
      {filterBar}
      <main id="main" ref={main} tabIndex={-1} style={{ outline: 'none' }}>
        {children}
      </main>
    </>
  );
}

/** Sets the document title for a view. */
export function usePageTitle(title: string) {
  const { org } = useOrg();
  const name = org.data?.name;
  useEffect(() => {
    document.title = `${title}${name ? ` · ${name}` : ''} · Parallax`;
  }, [title, name]);
}
