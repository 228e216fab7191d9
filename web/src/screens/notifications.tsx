// In-app notifications (urging, approvals, advisories): newest first, mark read.
import { call, get } from '../api';
import { formatDateTime } from '../format';
import { t } from '../i18n';
import { Loading, Page, useLoad, useSubmit, FormError } from '../components/ui';

interface Note {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string;
  created_at: string;
  read: boolean;
}

// Links in notifications point at the API; the console's matching screen.
function consoleLink(link: string): string {
  if (link.startsWith('/api/v1/compliance')) return '/compliance';
  if (link.startsWith('/api/v1/scans')) return '/scans';
  if (link.startsWith('/api/v1/advisories')) return '/advisories';
  if (link.startsWith('/api/v1/evidence')) return '/evidence';
  return link.startsWith('/api/') ? '/' : link || '/';
}

export function Notifications() {
  const { data, error, reload } = useLoad(() => get<{ items: Note[]; unread: number }>('/me/notifications', { limit: 100 }), []);
  const all = useSubmit(() => call('POST', '/me/notifications/read', { body: { all: true } }), reload);
  const one = (id: string) => call('POST', '/me/notifications/read', { body: { ids: [id] } }).then(reload);
  return (
    <Page
      title={t('notif.title')}
      actions={
        data && data.unread > 0 ? (
          <button type="button" onClick={() => all.submit()} disabled={all.busy}>
            {t('notif.mark_all')}
          </button>
        ) : null
      }
    >
      <FormError error={all.error} />
      {!data ? (
        <Loading error={error} />
      ) : (
        <>
          <p>{t('notif.unread', { n: data.unread })}</p>
          {data.items.length === 0 ? (
            <p class="muted">{t('common.none')}</p>
          ) : (
            <ul class="notes" data-testid="notifications">
              {data.items.map((n) => (
                <li class={n.read ? 'read' : 'unread'}>
                  <div class="note-head">
                    <strong>{n.title}</strong>
                    <span class="hint">{formatDateTime(n.created_at)}</span>
                  </div>
                  <p class="pre">{n.body}</p>
                  <div class="row">
                    <a href={consoleLink(n.link)}>{t('notif.open')}</a>
                    {!n.read && (
                      <button type="button" onClick={() => one(n.id)}>
                        {t('notif.mark_read')}
                      </button>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Page>
  );
}
