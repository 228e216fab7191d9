import { t } from '../i18n';
import { Page } from '../components/ui';

export function NotFound() {
  return (
    <Page title={t('error.not_found_title')}>
      <p data-testid="not-found">{t('error.not_found')}</p>
      <a href="/">{t('nav.dashboard')}</a>
    </Page>
  );
}
