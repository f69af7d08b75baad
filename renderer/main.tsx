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
import { SyncEngine } from './sync/sync-engine.ts';
import { webLock } from './sync/web-lock.ts';
import { createKioskI18n } from './i18n/kiosk-i18n.ts';
import { resolveKioskApi } from './kiosk-api/index.ts';
import './styles.css';

async function startServices(): Promise<{ services: KioskServices; engine: SyncEngine; synced: boolean }> {
  // First, before anything can read or rewrite the URL: host mode's token sits in its fragment.
  const kiosk = resolveKioskApi();
  const config = await kiosk.config.get();
  const server = await kiosk.server.status();
  const db = new HallKioskDb();
  await db.open();
  // Ask the browser not to evict the kiosk's tickets and outbox under storage pressure.
  void navigator.storage?.persist?.().catch(() => false);
  const engine = new SyncEngine({
    db,
    serverRequest: (request) => kiosk.server.request(request),
    serverStatus: () => kiosk.server.status(),
    clock: appClock,
    random: Math.random,
    timers: { setTimeout: (callback, ms) => window.setTimeout(callback, ms), clearTimeout: (handle) => window.clearTimeout(handle as number) },
    lock: webLock(),
  });
  await engine.load();
  const issuer = new TicketIssuer({
    db,
    clock: appClock,
    kioskId: config.kioskId,
    timeZone: config.hall.timeZone,
    ...(server.configured ? { numbers: engine.numbers, clockOffset: () => engine.clockOffsetMs() } : {}),
  });
  const recovered = await issuer.recoverInterrupted();
  if (recovered.length > 0) console.warn(`${recovered.length} ticket(s) were interrupted while printing; listed for staff`, recovered.map((t) => t.label));
  const { catalog } = await loadCatalog(db);
  return { services: { kiosk, config, issuer, catalog, clock: appClock, sync: engine }, engine, synced: server.configured };
}

async function boot(): Promise<void> {
  const root = createRoot(document.getElementById('root')!);
  // A kiosk has no use for the long-press menu, and it would expose browser features.
  window.addEventListener('contextmenu', (e) => e.preventDefault());
  try {
    const started = await startServices();
    let services = started.services;
    const i18n = createKioskI18n(services.config.defaultLanguage);
    const render = () =>
      root.render(
        <StrictMode>
          <I18nextProvider i18n={i18n}>
            <KioskServicesContext value={services}>
              <App />
            </KioskServicesContext>
          </I18nextProvider>
        </StrictMode>,
      );
    // A catalog from the hall server replaces the cached (or shipped) one on screen at once.
    started.engine.onCatalog((catalog) => {
      services = { ...services, catalog };
      render();
    });
    render();
    if (started.synced) started.engine.start();
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
