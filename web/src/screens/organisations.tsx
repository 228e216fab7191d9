// Organisations: list with a diacritic-insensitive search (the API folds), detail with its
// systems and compliance, and the create/edit form with the server's field errors.
import { useState } from 'preact/hooks';
import { call, get } from '../api';
import { formatDateTime, formatNumber, formatPercent } from '../format';
import { t, type Key } from '../i18n';
import { canRead, canWrite } from '../rbac';
import { navigate } from '../router';
import { currentUser } from '../session';
import { allOrgs, forgetOrgs, type Org } from '../orgs';
import { Field, FormError, Loading, Page, Select, SubmitButton, TextField, useLoad, useSubmit } from '../components/ui';
import type { Card } from './dashboard';

export const ORG_TYPES = ['coordinator', 'province', 'agency', 'commune', 'public_service_unit', 'enterprise', 'police', 'military', 'external'];

export function SearchBox({ value, onSearch, label }: { value: string; onSearch: (q: string) => void; label: string }) {
  const [q, setQ] = useState(value);
  return (
    <form
      class="search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(q);
      }}
    >
      <label for="search-q" class="sr-only">
        {label}
      </label>
      <input id="search-q" type="search" value={q} placeholder={label} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
      <button type="submit">{t('common.search')}</button>
    </form>
  );
}

interface Page_<T> {
  items: T[];
  next_cursor: string | null;
}

// A list with "load more" over the API's cursor pages.
export function usePaged<T>(path: string, query: Record<string, string | number | undefined>) {
  const [extra, setExtra] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const key = JSON.stringify([path, query]);
  const first = useLoad(async () => {
    setExtra([]);
    const p = await get<Page_<T>>(path, { limit: 50, ...query });
    setCursor(p.next_cursor);
    return p.items;
  }, [key]);
  const more = async () => {
    if (!cursor) return;
    const p = await get<Page_<T>>(path, { limit: 50, ...query, cursor });
    setExtra((x) => [...x, ...p.items]);
    setCursor(p.next_cursor);
  };
  return { items: first.data ? [...first.data, ...extra] : null, error: first.error, more: cursor ? more : null, reload: first.reload };
}

export function OrgList() {
  const user = currentUser()!;
  const params = new URLSearchParams(location.search);
  const q = params.get('q') ?? '';
  const list = usePaged<Org>('/organisations', { q: q || undefined });
  return (
    <Page
      title={t('org.list_title')}
      actions={
        canWrite(user.role, 'organisations') && (
          <a class="button primary" href="/organisations/new">
            {t('org.new')}
          </a>
        )
      }
    >
      <SearchBox value={q} label={t('org.search')} onSearch={(v) => navigate('/organisations' + (v ? '?q=' + encodeURIComponent(v) : ''))} />
      {!list.items ? (
        <Loading error={list.error} />
      ) : (
        <>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('org.name')}</th>
                  <th scope="col">{t('org.type')}</th>
                  <th scope="col">{t('org.focal_point')}</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((o) => (
                  <tr>
                    <td>
                      <a href={'/organisations/' + o.id}>{o.name}</a>
                    </td>
                    <td>{t(('orgtype.' + o.type) as Key)}</td>
                    <td>{o.focal_point?.name || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {list.items.length === 0 && <p class="muted">{t('common.none')}</p>}
          {list.more && (
            <button type="button" onClick={list.more}>
              {t('common.more')}
            </button>
          )}
        </>
      )}
    </Page>
  );
}

export function OrgDetail({ id }: { id: string }) {
  const user = currentUser()!;
  const { data, error } = useLoad(async () => {
    const org = await get<Org>('/organisations/' + encodeURIComponent(id));
    const systems = canRead(user.role, 'systems')
      ? (await get<{ items: { id: string; name: string; level: number }[] }>('/systems', { owner_org_id: id, limit: 100 })).items
      : [];
    let card: Card | null = null;
    if (canRead(user.role, 'compliance')) {
      try {
        card = (await get<{ overall: Card }>('/compliance/scorecard', { org: id })).overall;
      } catch {
        card = null;
      }
    }
    return { org, systems, card };
  }, [id]);
  if (!data) {
    return (
      <Page title={t('org.detail_title')}>
        <Loading error={error} />
      </Page>
    );
  }
  const { org, systems, card } = data;
  return (
    <Page
      title={org.name}
      actions={
        canWrite(user.role, 'organisations') && (
          <a class="button" href={`/organisations/${org.id}/edit`}>
            {t('common.edit')}
          </a>
        )
      }
    >
      <dl class="facts">
        <dt>{t('org.short_name')}</dt>
        <dd>{org.short_name || '—'}</dd>
        <dt>{t('org.type')}</dt>
        <dd>{t(('orgtype.' + org.type) as Key)}</dd>
        <dt>{t('org.address')}</dt>
        <dd>{org.address || '—'}</dd>
        <dt>{t('org.email')}</dt>
        <dd>{org.email || '—'}</dd>
        <dt>{t('org.phone')}</dt>
        <dd>{org.phone || '—'}</dd>
        <dt>{t('org.focal_point')}</dt>
        <dd>{org.focal_point?.name ? `${org.focal_point.name} · ${org.focal_point.phone} · ${org.focal_point.email}` : '—'}</dd>
        <dt>{t('org.network_member')}</dt>
        <dd>{org.network_member ? t('common.yes') : t('common.no')}</dd>
        <dt>{t('common.updated')}</dt>
        <dd>{formatDateTime(org.updated_at)}</dd>
      </dl>
      {card && (
        <section class="card">
          <h2>{t('nav.compliance')}</h2>
          <p>
            {t('dash.compliant')}: <strong>{formatPercent(card.compliant_percent)}</strong> · {t('status.overdue')}: {formatNumber(card.overdue)} ·{' '}
            {t('status.due_soon')}: {formatNumber(card.due_soon)}
          </p>
          <a href={'/compliance?org=' + org.id}>{t('org.see_compliance')}</a>
        </section>
      )}
      {canRead(user.role, 'systems') && (
        <section class="card">
          <h2>{t('nav.systems')}</h2>
          {systems.length ? (
            <ul>
              {systems.map((s) => (
                <li>
                  <a href={'/systems/' + s.id}>{s.name}</a> — {t('system.level_n', { n: s.level })}
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">{t('common.none')}</p>
          )}
        </section>
      )}
    </Page>
  );
}

export function OrgForm({ id }: { id?: string }) {
  const [form, setForm] = useState<Record<string, string>>({ type: 'agency' });
  const [etag, setEtag] = useState<string | null>(null);
  const loaded = useLoad(async () => {
    const orgs = await allOrgs();
    if (id) {
      const a = await call<Org>('GET', '/organisations/' + encodeURIComponent(id));
      const o = a.data;
      setEtag(a.etag);
      setForm({
        name: o.name,
        short_name: o.short_name ?? '',
        type: o.type,
        parent_id: o.parent_id ?? '',
        address: o.address ?? '',
        email: o.email ?? '',
        phone: o.phone ?? '',
        fp_name: o.focal_point?.name ?? '',
        fp_phone: o.focal_point?.phone ?? '',
        fp_email: o.focal_point?.email ?? '',
      });
    }
    return orgs;
  }, [id]);
  const set = (k: string) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const s = useSubmit(
    async () => {
      const body = {
        name: form.name ?? '',
        short_name: form.short_name ?? '',
        type: form.type,
        parent_id: form.parent_id ?? '',
        address: form.address ?? '',
        email: form.email ?? '',
        phone: form.phone ?? '',
        focal_point: { name: form.fp_name ?? '', phone: form.fp_phone ?? '', email: form.fp_email ?? '' },
      };
      const a = id
        ? await call<Org>('PATCH', '/organisations/' + encodeURIComponent(id), { body, etag })
        : await call<Org>('POST', '/organisations', { body });
      return a.data;
    },
    (o) => {
      forgetOrgs();
      navigate('/organisations/' + o.id);
    },
  );
  if (!loaded.data) {
    return (
      <Page title={id ? t('org.edit_title') : t('org.new')}>
        <Loading error={loaded.error} />
      </Page>
    );
  }
  const f = s.fields;
  return (
    <Page title={id ? t('org.edit_title') : t('org.new')}>
      <form class="form card" onSubmit={s.submit} noValidate>
        <TextField label={t('org.name')} name="name" value={form.name ?? ''} onInput={set('name')} error={f['/name']} required />
        <TextField label={t('org.short_name')} name="short_name" value={form.short_name ?? ''} onInput={set('short_name')} error={f['/short_name']} />
        <Select label={t('org.type')} name="type" value={form.type} onChange={set('type')} error={f['/type']} options={ORG_TYPES.map((x) => [x, t(('orgtype.' + x) as Key)])} />
        <Select
          label={t('org.parent')}
          name="parent_id"
          value={form.parent_id ?? ''}
          onChange={set('parent_id')}
          error={f['/parent_id']}
          options={[['', t('org.no_parent')], ...loaded.data.filter((o) => o.id !== id).map((o): [string, string] => [o.id, o.name])]}
        />
        <TextField label={t('org.address')} name="address" value={form.address ?? ''} onInput={set('address')} error={f['/address']} />
        <TextField label={t('org.email')} name="email" type="email" value={form.email ?? ''} onInput={set('email')} error={f['/email']} />
        <TextField label={t('org.phone')} name="phone" value={form.phone ?? ''} onInput={set('phone')} error={f['/phone']} />
        <fieldset>
          <legend>{t('org.focal_point')}</legend>
          <TextField label={t('org.fp_name')} name="fp_name" value={form.fp_name ?? ''} onInput={set('fp_name')} error={f['/focal_point/name']} />
          <TextField label={t('org.phone')} name="fp_phone" value={form.fp_phone ?? ''} onInput={set('fp_phone')} error={f['/focal_point/phone']} />
          <TextField label={t('org.email')} name="fp_email" value={form.fp_email ?? ''} onInput={set('fp_email')} error={f['/focal_point/email']} />
        </fieldset>
        <FormError error={s.error} />
        <div class="row">
          <SubmitButton busy={s.busy} label={t('common.save')} />
          <a class="button" href={id ? '/organisations/' + id : '/organisations'}>
            {t('common.cancel')}
          </a>
        </div>
      </form>
    </Page>
  );
}

export { Field };
