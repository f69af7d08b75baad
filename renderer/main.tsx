import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './app/app.tsx';
import { BootFailure } from './app/boot-failure.tsx';
import type { KioskServices } from './app/kiosk-services.ts';
import { KioskServicesContext } from './app/kiosk-services.ts';
import { correctedTime } from '../core/sync/clock-offset.ts';
import type { KioskApi, LocalContent } from '../core/kiosk/kiosk-api.ts';
import { appClock } from './clock.ts';
import { loadCatalog } from './db/catalog-cache.ts';
import { CheckinBook } from './attendance/checkin-book.ts';
import { ElderModeProvider } from './elder/elder-mode.tsx';
import { HallKioskDb } from './db/hall-kiosk-db.ts';
import { IssuedTally } from './db/issued-tally.ts';
import { SlipBook } from './db/slip-book.ts';
import { TicketIssuer } from './db/ticket-issuer.ts';
import { IssueTicket } from './tickets/issue-ticket.ts';
import { KioskHall } from './sync/hall-settings.ts';
import { loadHallRules, onHallRules } from './sync/hall-rules.ts';
import { QueueStateStore } from './sync/queue-state-store.ts';
import { SyncEngine } from './sync/sync-engine.ts';
import { webLock } from './sync/web-lock.ts';
import { createKioskI18n } from './i18n/kiosk-i18n.ts';
import { resolveKioskApi } from './kiosk-api/index.ts';
import { ServiceFinder } from './search/service-finder.ts';
import './styles.css';

/** What the issue use case reads at each issue; boot() keeps it up to date with what the server sends. */
interface CurrentHall {
  hallRules: KioskServices['hallRules'];
  hall: KioskServices['config']['hall'];
}

async function startServices(): Promise<{ services: KioskServices; engine: SyncEngine; db: HallKioskDb; hall: KioskHall; synced: boolean; current: CurrentHall }> {
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
  });
  await engine.load();
  const local = await localContent(kiosk);
  const { rules: hallRules, source: hallRulesSource } = await loadHallRules(kiosk, { local: local.hallRules, synced: server.configured });
  // What the books and the issue read at each use; boot() keeps it up to date with what the server sends.
  const current: CurrentHall = { hallRules, hall: config.hall };
  const issuer = new TicketIssuer({
    db,
    clock: appClock,
    kioskId: config.kioskId,
    timeZone: hall.timeZone,
    hallRules: () => current.hallRules,
    ...(server.configured ? { numbers: engine.numbers, clockOffset: () => engine.clockOffsetMs() } : { floor: kiosk.counters }),
  });
  const recovered = await issuer.recoverInterrupted();
  if (recovered.length > 0) console.warn(`${recovered.length} ticket(s) were interrupted while printing; listed for staff`, recovered.map((t) => t.label));
  // The hall's zone is read at each use: settings pulled from the hall server apply without a restart.
  const slips = new SlipBook({ db, clock: appClock, kioskId: config.kioskId, timeZone: hall.timeZone, clockOffset: () => engine.clockOffsetMs(), ...(server.configured ? {} : { floor: kiosk.counters }) });
  const checkins = new CheckinBook({
    db,
    clock: appClock,
    kioskId: config.kioskId,
    timeZone: hall.timeZone,
    hallRules: () => current.hallRules,
    clockOffset: () => engine.clockOffsetMs(),
    ...(server.configured ? { online: engine.checkins } : {}),
  });
  const { catalog, guides, source: catalogSource } = await loadCatalog(db, { local: local.catalog, synced: server.configured });
  const finder = new ServiceFinder(catalog, guides);
  // The hall's calendar is read on the hall server's time, as far as the kiosk knows it.
  const hallClock = { now: () => correctedTime(appClock.now(), engine.clockOffsetMs() ?? 0) };
  const tally = new IssuedTally(db);
  const queue = new QueueStateStore(kiosk.events);
  // The paper speaks the language the citizen chose on screen.
  const printTexts = { zh: createKioskI18n('zh').getFixedT('zh'), en: createKioskI18n('en').getFixedT('en') };
  const issueTicket = new IssueTicket({
    issuer,
    printer: kiosk.printer,
    tally,
    sync: engine,
    queue,
    hallClock,
    rules: () => current.hallRules,
    hall: () => current.hall,
    publicAddress: () => hall.publicAddress(),
    printText: (language) => printTexts[language],
  });
  return {
    services: {
      kiosk, config, issuer, issueTicket, catalog, guides, finder, slips, checkins, clock: appClock, hallClock, hallRules, tally, sync: engine, queue,
      publicAddress: () => hall.publicAddress(),
      content: { catalog: catalogSource, hallRules: hallRulesSource },
    },
    engine,
    db,
    hall,
    synced: server.configured,
    current,
  };
}

/**
 * The catalog and calendar files the privileged side was given (a hall with no server). A file
 * that cannot be used counts as none: the kiosk then says it has no catalog, and the privileged
 * side's log says why.
 */
async function localContent(kiosk: KioskApi): Promise<LocalContent> {
  try {
    return await kiosk.content.local();
  } catch (error) {
    console.error('the local catalog or calendar file cannot be used', error);
    return { catalog: null, hallRules: null };
  }
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
      void loadCatalog(started.db).then(({ catalog, guides, source }) => {
        const finder = new ServiceFinder(catalog, guides);
        services = { ...services, catalog, guides, finder, content: { ...services.content, catalog: source } };
        render();
        setTimeout(() => finder.warm(), 0);
      }).catch((error: unknown) => console.error('the pulled catalog could not be read; the one on screen stays', error));
    });
    // The hall's count of today's tickets: 余N号 on the list is the server's figure.
    started.engine.onDayCounts((businessDay, counts) => services.tally.noteHallCounts(businessDay, counts));
    // Hall settings from the server: the status bar clock, the screens and printed tickets follow at
    // once (the issuer and the books read the zone at each use).
    started.engine.onSettings((settings) => {
      services = { ...services, config: { ...services.config, hall: started.hall.apply(settings) } };
      started.current.hall = services.config.hall;
      render();
    });
    // A new hall calendar (pulled by the privileged side) takes effect at once: the screens decide
    // from it on their next render, the books and the issue at their next use.
    onHallRules(services.kiosk, (hallRules) => {
      started.current.hallRules = hallRules;
      services = { ...services, hallRules, content: { ...services.content, hallRules: 'pulled' } };
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
