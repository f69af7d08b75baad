import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './app/app.tsx';
import { BootFailure } from './app/boot-failure.tsx';
import type { KioskServices } from './app/kiosk-services.ts';
import { KioskServicesContext } from './app/kiosk-services.ts';
import { appClock } from './clock.ts';
import { loadCatalog } from './db/catalog-cache.ts';
import { HallKioskDb } from './db/hall-kiosk-db.ts';
import { TicketIssuer } from './db/ticket-issuer.ts';
import { createKioskI18n } from './i18n/kiosk-i18n.ts';
import { resolveKioskApi } from './kiosk-api/index.ts';
import './styles.css';

async function startServices(): Promise<KioskServices> {
  // First, before anything can read or rewrite the URL: host mode's token sits in its fragment.
  const kiosk = resolveKioskApi();
  const config = await kiosk.config.get();
  const db = new HallKioskDb();
  await db.open();
  // Ask the browser not to evict the kiosk's tickets and outbox under storage pressure.
  void navigator.storage?.persist?.().catch(() => false);
  const issuer = new TicketIssuer({ db, clock: appClock, kioskId: config.kioskId, timeZone: config.hall.timeZone });
  const recovered = await issuer.recoverInterrupted();
  if (recovered.length > 0) console.warn(`${recovered.length} ticket(s) were interrupted while printing; listed for staff`, recovered.map((t) => t.label));
  const { catalog } = await loadCatalog(db);
  return { kiosk, config, issuer, catalog, clock: appClock };
}

async function boot(): Promise<void> {
  const root = createRoot(document.getElementById('root')!);
  // A kiosk has no use for the long-press menu, and it would expose browser features.
  window.addEventListener('contextmenu', (e) => e.preventDefault());
  try {
    const services = await startServices();
    const i18n = createKioskI18n(services.config.defaultLanguage);
    root.render(
      <StrictMode>
        <I18nextProvider i18n={i18n}>
          <KioskServicesContext value={services}>
            <App />
          </KioskServicesContext>
        </I18nextProvider>
      </StrictMode>,
    );
  } catch (error) {
    console.error('kiosk start-up failed', error);
    root.render(
      <I18nextProvider i18n={createKioskI18n('zh')}>
        <BootFailure detail={error instanceof Error ? error.message : String(error)} />
      </I18nextProvider>,
    );
  }
}

void boot();
