import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './app/app.tsx';
import { BootFailure } from './app/boot-failure.tsx';
import type { KioskServices } from './app/kiosk-services.ts';
import { KioskServicesContext } from './app/kiosk-services.ts';
import { correctedTime } from '../core/sync/clock-offset.ts';
import { appClock } from './clock.ts';
import { loadCatalog } from './db/catalog-cache.ts';
import { CheckinBook } from './attendance/checkin-book.ts';
import { ElderModeProvider } from './elder/elder-mode.tsx';
import { HallKioskDb } from './db/hall-kiosk-db.ts';
import { IssuedTally } from './db/issued-tally.ts';
import { SlipBook } from './db/slip-book.ts';
import { TicketIssuer } from './db/ticket-issuer.ts';
import { KioskHall } from './sync/hall-settings.ts';
import { loadHallRules } from './sync/hall-rules.ts';
import { QueueStateStore } from './sync/queue-state-store.ts';
import { SyncEngine } from './sync/sync-engine.ts';
import { webLock } from './sync/web-lock.ts';
import { createKioskI18n } from './i18n/kiosk-i18n.ts';
import { resolveKioskApi } from './kiosk-api/index.ts';
import { ServiceFinder } from './search/service-finder.ts';
import './styles.css';

/** Touches of one person this close together are one check-in (a finger pressed twice, or a nervous second try). */
const checkinRepeatWindowMs = 5 * 60_000;

async function startServices(): Promise<{ services: KioskServices; engine: SyncEngine; db: HallKioskDb; hall: KioskHall; synced: boolean }> {
  // First, before anything can read or rewrite the URL: host mode's token sits in its fragment.
  const kiosk = resolveKioskApi();
  const localConfig = await kiosk.config.get();
  const server = await kiosk.server.status();
  const db = new HallKioskDb();
  await db.open();
  // The hall server's name and time zone once a pull brought them; the local config before that.
  const hall = new KioskHall(localConfig.hall);
  const config = { ...localConfig, hall: await hall.load(db) };
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
    report: {
      systemInfo: () => kiosk.system.info(),
      printerStatus: () => kiosk.printer.status(),
      readerStatus: () => kiosk.reader.status(),
      systemHealth: () => kiosk.system.health(),
      storageEstimate: () => navigator.storage.estimate(),
    },
    // The pulled staff roster's fingerprint templates go into this kiosk's reader.
    reader: kiosk.reader,
  });
  await engine.load();
  const issuer = new TicketIssuer({
    db,
    clock: appClock,
    kioskId: config.kioskId,
    timeZone: hall.timeZone,
    ...(server.configured ? { numbers: engine.numbers, clockOffset: () => engine.clockOffsetMs() } : {}),
  });
  const recovered = await issuer.recoverInterrupted();
  if (recovered.length > 0) console.warn(`${recovered.length} ticket(s) were interrupted while printing; listed for staff`, recovered.map((t) => t.label));
  const slips = new SlipBook({ db, clock: appClock, kioskId: config.kioskId, timeZone: config.hall.timeZone, clockOffset: () => engine.clockOffsetMs() });
  const checkins = new CheckinBook({ db, clock: appClock, kioskId: config.kioskId, timeZone: config.hall.timeZone, repeatWindowMs: checkinRepeatWindowMs, clockOffset: () => engine.clockOffsetMs() });
  const { catalog, guides } = await loadCatalog(db);
  const finder = new ServiceFinder(catalog, guides);
  const { rules: hallRules } = await loadHallRules(db);
  // The hall's calendar is read on the hall server's time, as far as the kiosk knows it.
  const hallClock = { now: () => correctedTime(appClock.now(), engine.clockOffsetMs() ?? 0) };
  return { services: { kiosk, config, issuer, catalog, guides, finder, slips, checkins, clock: appClock, hallClock, hallRules, tally: new IssuedTally(db), sync: engine, queue: new QueueStateStore(kiosk.events) }, engine, db, hall, synced: server.configured };
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
              <ElderModeProvider defaultOn={services.config.elderModeDefault}>
                <App />
              </ElderModeProvider>
            </KioskServicesContext>
          </I18nextProvider>
        </StrictMode>,
      );
    // A catalog from the hall server replaces the cached (or shipped) one on screen at once, with
    // the guides stored beside it (new ones, or the ones held when it came without).
    started.engine.onCatalog(() => {
      void loadCatalog(started.db).then(({ catalog, guides }) => {
        const finder = new ServiceFinder(catalog, guides);
        services = { ...services, catalog, guides, finder };
        render();
        setTimeout(() => finder.warm(), 0);
      }).catch((error: unknown) => console.error('the pulled catalog could not be read; the one on screen stays', error));
    });
    // Hall settings from the server: the status bar clock, the screens and printed tickets follow at
    // once (the issuer reads the zone at each issue).
    started.engine.onSettings((settings) => {
      services = { ...services, config: { ...services.config, hall: started.hall.apply(settings) } };
      render();
    });
    // A new hall calendar takes effect at once: the screens decide from it on their next render.
    started.engine.onHallRules((hallRules) => {
      services = { ...services, hallRules };
      render();
    });
    render();
    setTimeout(() => services.finder.warm(), 0);
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
