import { useTranslation } from 'react-i18next';

/** Shown instead of the kiosk when it cannot start: a citizen must know to ask staff. */
export function BootFailure({ detail }: { detail: string }) {
  const { t } = useTranslation();
  return (
    <div className="kiosk">
      <main className="screen-area">
        <section className="screen" data-testid="boot-failure">
          <h1 className="screen-title">{t('app.bootFailed')}</h1>
          <p className="message">{t('app.bootDetail', { detail })}</p>
        </section>
      </main>
    </div>
  );
}
