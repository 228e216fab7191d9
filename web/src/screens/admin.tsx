// Users and roles (admin), one's own account (password, two-factor sign-in, API tokens), and the
// audit log with the result of the hash-chain verification.
import { useState } from 'preact/hooks';
import { call, get } from '../api';
import { formatDateTime, formatNumber } from '../format';
import { t, type Key } from '../i18n';
import { canWrite, type Role } from '../rbac';
import { currentUser, setUser, type User } from '../session';
import { allOrgs } from '../orgs';
import { FormError, Loading, Page, Select, SubmitButton, TextField, useLoad, useSubmit } from '../components/ui';
import { ChangePassword, TotpEnrol } from './login';

const ROLES: Role[] = ['admin', 'coordinator', 'responder', 'org_manager', 'org_staff', 'liaison', 'auditor'];

function NewUser({ onDone }: { onDone: () => void }) {
  const orgs = useLoad(allOrgs, []);
  const [f, setF] = useState<Record<string, string>>({ role: 'org_staff' });
  const [created, setCreated] = useState<{ username: string; one_time_password: string } | null>(null);
  const set = (k: string) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  const s = useSubmit(
    async () =>
      (
        await call<{ username: string; one_time_password: string }>('POST', '/users', {
          body: { username: f.username ?? '', display_name: f.display_name ?? '', email: f.email ?? '', role: f.role, org_id: f.org_id || orgs.data?.[0]?.id || '' },
        })
      ).data,
    (u) => {
      setCreated(u);
      onDone();
    },
  );
  if (created) {
    return (
      <section class="card" role="status">
        <p>{t('users.created', { user: created.username })}</p>
        <p>
          <code class="secret">{created.one_time_password}</code>
        </p>
        <button type="button" onClick={() => setCreated(null)}>
          {t('common.close')}
        </button>
      </section>
    );
  }
  return (
    <section class="card">
      <h2>{t('users.new')}</h2>
      <form onSubmit={s.submit} noValidate>
        <TextField label={t('login.username')} name="username" value={f.username ?? ''} onInput={set('username')} error={s.fields['/username']} />
        <TextField label={t('users.display_name')} name="display_name" value={f.display_name ?? ''} onInput={set('display_name')} error={s.fields['/display_name']} />
        <TextField label={t('org.email')} name="email" type="email" value={f.email ?? ''} onInput={set('email')} error={s.fields['/email']} />
        <Select label={t('users.role')} name="role" value={f.role} onChange={set('role')} error={s.fields['/role']} options={ROLES.map((r) => [r, t(('role.' + r) as Key)])} />
        {orgs.data && (
          <Select label={t('common.organisation')} name="org_id" value={f.org_id ?? orgs.data[0]?.id ?? ''} onChange={set('org_id')} error={s.fields['/org_id']} options={orgs.data.map((o): [string, string] => [o.id, o.name])} />
        )}
        <FormError error={s.error} />
        <SubmitButton busy={s.busy} label={t('users.create')} />
      </form>
    </section>
  );
}

export function UserList() {
  const me = currentUser()!;
  const { data, error, reload } = useLoad(() => get<{ items: User[] }>('/users'), []);
  const orgs = useLoad(allOrgs, []);
  return (
    <Page title={t('users.title')}>
      {canWrite(me.role, 'users') && <NewUser onDone={reload} />}
      {!data ? (
        <Loading error={error} />
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('login.username')}</th>
                <th scope="col">{t('users.display_name')}</th>
                <th scope="col">{t('users.role')}</th>
                <th scope="col">{t('common.organisation')}</th>
                <th scope="col">{t('users.totp')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((u) => (
                <tr>
                  <td>{u.username}</td>
                  <td>{u.display_name}</td>
                  <td>{t(('role.' + u.role) as Key)}</td>
                  <td>{orgs.data?.find((o) => o.id === u.org_id)?.name ?? ''}</td>
                  <td>{u.totp_enabled ? t('common.yes') : t('common.no')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}

interface Token {
  id: string;
  name: string;
  scopes: string[];
  expires_at: string;
  created_at: string;
}

function Tokens() {
  const { data, error, reload } = useLoad(() => get<{ items: Token[] }>('/tokens'), []);
  const [name, setName] = useState('');
  const [scope, setScope] = useState('read');
  const [days, setDays] = useState('90');
  const [secret, setSecret] = useState('');
  const s = useSubmit(
    async () => (await call<{ token: string }>('POST', '/tokens', { body: { name, scopes: scope === 'write' ? ['read', 'write'] : ['read'], expires_in_days: Number(days) || 0 } })).data,
    (a) => {
      setSecret(a.token);
      setName('');
      reload();
    },
  );
  const revoke = (id: string) => call('DELETE', '/tokens/' + id).then(reload);
  return (
    <section class="card">
      <h2>{t('tokens.title')}</h2>
      {secret && (
        <div role="status" class="notice">
          <p>{t('tokens.shown_once')}</p>
          <code class="secret">{secret}</code>
        </div>
      )}
      <form onSubmit={s.submit} noValidate>
        <TextField label={t('tokens.name')} name="name" value={name} onInput={setName} error={s.fields['/name']} />
        <Select
          label={t('tokens.scopes')}
          name="scopes"
          value={scope}
          onChange={setScope}
          error={s.fields['/scopes']}
          options={[
            ['read', t('tokens.read')],
            ['write', t('tokens.write')],
          ]}
        />
        <TextField label={t('tokens.days')} name="expires_in_days" inputMode="numeric" value={days} onInput={setDays} error={s.fields['/expires_in_days']} />
        <FormError error={s.error} />
        <SubmitButton busy={s.busy} label={t('tokens.create')} />
      </form>
      {!data ? (
        <Loading error={error} />
      ) : data.items.length === 0 ? (
        <p class="muted">{t('common.none')}</p>
      ) : (
        <ul>
          {data.items.map((tk) => (
            <li>
              {tk.name} · {tk.scopes.join(', ')} · {t('tokens.expires', { date: formatDateTime(tk.expires_at) })}{' '}
              <button type="button" onClick={() => revoke(tk.id)}>
                {t('tokens.revoke')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function AccountPage() {
  const me = currentUser()!;
  const [msg, setMsg] = useState('');
  const [totp, setTotp] = useState(false);
  return (
    <Page title={t('account.title')}>
      {msg && (
        <p role="status" class="notice">
          {msg}
        </p>
      )}
      <dl class="facts">
        <dt>{t('login.username')}</dt>
        <dd>{me.username}</dd>
        <dt>{t('users.role')}</dt>
        <dd>{t(('role.' + me.role) as Key)}</dd>
        <dt>{t('users.totp')}</dt>
        <dd>{me.totp_enabled ? t('common.yes') : t('common.no')}</dd>
      </dl>
      <section class="card">
        <h2>{t('password.title')}</h2>
        <ChangePassword onDone={() => setMsg(t('password.changed'))} />
      </section>
      {!me.totp_enabled && (
        <section class="card">
          <h2>{t('totp.title')}</h2>
          {totp ? (
            <TotpEnrol
              onDone={async () => {
                setTotp(false);
                setMsg(t('totp.enabled'));
                setUser((await call<User>('GET', '/me')).data);
              }}
            />
          ) : (
            <button type="button" onClick={() => setTotp(true)}>
              {t('totp.start')}
            </button>
          )}
        </section>
      )}
      <Tokens />
    </Page>
  );
}

interface AuditRec {
  seq: number;
  at: string;
  actor: string;
  action: string;
  object_type: string;
  object_id: string;
}

export function AuditPage() {
  const verify = useLoad(() => get<{ ok: boolean; records: number; problems: string[] }>('/audit/verify'), []);
  const [after, setAfter] = useState(0);
  const list = useLoad(() => get<{ items: AuditRec[]; next_cursor: string | null }>('/audit', { after, limit: 100 }), [after]);
  return (
    <Page title={t('audit.title')}>
      <section class="card" aria-live="polite">
        <h2>{t('audit.verify')}</h2>
        {!verify.data ? (
          <Loading error={verify.error} />
        ) : verify.data.ok ? (
          <p class="badge badge-ok" data-testid="audit-ok">
            {t('audit.ok', { n: formatNumber(verify.data.records) })}
          </p>
        ) : (
          <div class="form-error" role="alert">
            {t('audit.broken')}
            <ul>
              {verify.data.problems.map((p) => (
                <li>{p}</li>
              ))}
            </ul>
          </div>
        )}
      </section>
      {!list.data ? (
        <Loading error={list.error} />
      ) : (
        <>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t('audit.at')}</th>
                  <th scope="col">{t('audit.actor')}</th>
                  <th scope="col">{t('audit.action')}</th>
                  <th scope="col">{t('audit.object')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((r) => (
                  <tr>
                    <td class="num">{r.seq}</td>
                    <td>{formatDateTime(r.at, true)}</td>
                    <td>{r.actor}</td>
                    <td>{r.action}</td>
                    <td>
                      {r.object_type} <span class="hint">{r.object_id}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {list.data.next_cursor && (
            <button type="button" onClick={() => setAfter(Number(list.data!.next_cursor))}>
              {t('common.more')}
            </button>
          )}
        </>
      )}
    </Page>
  );
}
