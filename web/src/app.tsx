// The shell: session check, sign-in, navigation by role, the routes, the re-login dialog.
import { useEffect, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { call, onSessionExpired, setCsrf } from './api';
import { lang, onLangChange, setLang, t, type Key } from './i18n';
import { canRead, type Resource } from './rbac';
import { match, navigate, onRoute, path } from './router';
import { currentUser, onUserChange, setUser, type User } from './session';
import { ReloginDialog, SignIn } from './screens/login';
import { Dashboard } from './screens/dashboard';
import { OrgDetail, OrgForm, OrgList } from './screens/organisations';
import { SystemDetail, SystemForm, SystemList } from './screens/systems';
import { CompliancePage, EvidenceList } from './screens/compliance';
import { Notifications } from './screens/notifications';
import { AdvisoryList, FindingList } from './screens/findings';
import { ScanPage } from './screens/scans';
import { HuntPage } from './screens/hunts';
import { AccountPage, AuditPage, UserList } from './screens/admin';
import { NotFound } from './screens/notfound';
import { IncidentDetail, IncidentForm, IncidentList } from './screens/incidents';
import { PlanDetail, PlanList } from './screens/plans';

interface NavItem {
  href: string;
  label: Key;
  resource?: Resource;
  show?: (u: User) => boolean;
}
const NAV: NavItem[] = [
  { href: '/', label: 'nav.dashboard', resource: 'compliance' },
  { href: '/organisations', label: 'nav.organisations', resource: 'organisations' },
  { href: '/systems', label: 'nav.systems', resource: 'systems' },
  { href: '/incidents', label: 'nav.incidents', resource: 'incidents' },
  { href: '/plans', label: 'nav.plans', resource: 'plans' },
  { href: '/compliance', label: 'nav.compliance', resource: 'compliance' },
  { href: '/evidence', label: 'nav.evidence', resource: 'evidence' },
  { href: '/scans', label: 'nav.scans', resource: 'scans' },
  { href: '/hunts', label: 'nav.hunts', resource: 'hunts' },
  { href: '/findings', label: 'nav.findings', resource: 'findings' },
  { href: '/advisories', label: 'nav.advisories', resource: 'advisories' },
  { href: '/notifications', label: 'nav.notifications' },
  { href: '/users', label: 'nav.users', resource: 'users' },
  { href: '/audit', label: 'nav.audit', resource: 'audit' },
  { href: '/account', label: 'nav.account' },
];

type Screen = (p: Record<string, string>) => JSX.Element;
const ROUTES: [string, Screen][] = [
  ['/', () => <Dashboard />],
  ['/organisations', () => <OrgList />],
  ['/organisations/new', () => <OrgForm />],
  ['/organisations/:id', (p) => <OrgDetail id={p.id} />],
  ['/organisations/:id/edit', (p) => <OrgForm id={p.id} />],
  ['/systems', () => <SystemList />],
  ['/systems/new', () => <SystemForm />],
  ['/systems/:id', (p) => <SystemDetail id={p.id} />],
  ['/systems/:id/edit', (p) => <SystemForm id={p.id} />],
  ['/incidents', () => <IncidentList />],
  ['/incidents/new', () => <IncidentForm />],
  ['/incidents/:id', (p) => <IncidentDetail id={p.id} />],
  ['/plans', () => <PlanList />],
  ['/plans/:id', (p) => <PlanDetail id={p.id} />],
  ['/compliance', () => <CompliancePage />],
  ['/evidence', () => <EvidenceList />],
  ['/scans', () => <ScanPage />],
  ['/hunts', () => <HuntPage />],
  ['/findings', () => <FindingList />],
  ['/advisories', () => <AdvisoryList />],
  ['/notifications', () => <Notifications />],
  ['/users', () => <UserList />],
  ['/audit', () => <AuditPage />],
  ['/account', () => <AccountPage />],
];

function useRerender(subscribe: (f: () => void) => () => void) {
  const [, set] = useState(0);
  useEffect(() => subscribe(() => set((x) => x + 1)), []);
}

function LangSwitch() {
  const other = lang() === 'vi' ? 'en' : 'vi';
  return (
    <button type="button" class="lang" onClick={() => setLang(other)} title={t('app.switch_lang')} lang={other}>
      {other === 'en' ? 'English' : 'Tiếng Việt'}
    </button>
  );
}

function Shell({ user }: { user: User }) {
  const [menuOpen, setMenuOpen] = useState(false);
  const p = path();
  let screen: JSX.Element | null = null;
  for (const [pattern, s] of ROUTES) {
    const params = match(pattern, p);
    if (params) {
      screen = s(params);
      break;
    }
  }
  const items = NAV.filter((n) => !n.resource || canRead(user.role, n.resource));
  // Without the compliance dashboard (liaison), "/" shows the first screen the role has.
  if (p === '/' && !canRead(user.role, 'compliance')) screen = <OrgList />;
  const logout = async () => {
    try {
      await call('POST', '/auth/logout', { noReauth: true });
    } finally {
      setUser(null);
      navigate('/', true);
    }
  };
  return (
    <div class="shell">
      <a class="skip" href="#main">
        {t('app.skip')}
      </a>
      <header class="top">
        <button type="button" class="menu-toggle" aria-expanded={menuOpen} aria-controls="nav" onClick={() => setMenuOpen(!menuOpen)}>
          {t('app.menu')}
        </button>
        <a href="/" class="brand">
          ucsc
        </a>
        <span class="brand-sub">{t('app.name_long')}</span>
        <span class="spacer" />
        <span class="who" data-testid="who">
          {user.display_name || user.username} · {t(('role.' + user.role) as Key)}
        </span>
        <LangSwitch />
        <button type="button" onClick={logout}>
          {t('app.logout')}
        </button>
      </header>
      <div class="body">
        <nav id="nav" class={menuOpen ? 'open' : ''} aria-label={t('app.nav')}>
          <ul>
            {items.map((n) => {
              const active = n.href === '/' ? p === '/' : p.startsWith(n.href);
              return (
                <li>
                  <a href={n.href} aria-current={active ? 'page' : undefined} onClick={() => setMenuOpen(false)}>
                    {t(n.label)}
                  </a>
                </li>
              );
            })}
          </ul>
        </nav>
        <main id="main" tabIndex={-1}>
          {screen ?? <NotFound />}
        </main>
      </div>
    </div>
  );
}

export function App() {
  useRerender(onLangChange);
  useRerender(onRoute);
  useRerender(onUserChange);
  const [checked, setChecked] = useState(false);
  const [relogin, setRelogin] = useState<(() => void) | null>(null);
  useEffect(() => {
    call<User & { csrf_token?: string }>('GET', '/me', { noReauth: true })
      .then((a) => {
        if (a.data.csrf_token) setCsrf(a.data.csrf_token);
        if (!a.data.must_change_password) setUser(a.data);
      })
      .catch(() => setUser(null))
      .finally(() => setChecked(true));
  }, []);
  useEffect(() => {
    onSessionExpired(
      () =>
        new Promise<void>((resolve) => {
          if (!currentUser()) return resolve();
          setRelogin(() => () => {
            setRelogin(null);
            resolve();
          });
        }),
    );
    return () => onSessionExpired(null);
  }, []);
  if (!checked) return <p class="muted">{t('common.loading')}</p>;
  const user = currentUser();
  if (!user) return <SignIn />;
  return (
    <>
      <Shell user={user} />
      {relogin && <ReloginDialog username={user.username} onDone={relogin} />}
    </>
  );
}
