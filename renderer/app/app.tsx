import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Department, ServiceItem } from '../../core/catalog.ts';
import type { PriorityClass, Ticket } from '../../core/ticket.ts';
import type { IssueResult } from '../db/ticket-issuer.ts';
import { languageOf } from '../i18n/use-localized.ts';
import { printAndRecord } from '../printing/print-and-record.ts';
import { buildTicketPrintJob } from '../printing/ticket-print-job.ts';
import { DepartmentScreen } from './department-screen.tsx';
import { HomeScreen } from './home-screen.tsx';
import { useKioskServices } from './kiosk-services.ts';
import { NavBar } from './nav-bar.tsx';
import { PriorityScreen } from './priority-screen.tsx';
import { ServiceScreen } from './service-screen.tsx';
import { StaffPinScreen } from './staff-pin-screen.tsx';
import { StaffScreen } from './staff-screen.tsx';
import { StatusBar } from './status-bar.tsx';
import type { PrintPhase } from './ticket-screen.tsx';
import { TicketScreen } from './ticket-screen.tsx';
import { useIdleTimeout } from './use-idle-timeout.ts';
import { usePrinterStatus } from './use-printer-status.ts';

/** Being on the staff screen is the staff session: leaving it, by hand or by idle, signs out. */
type Screen =
  | { name: 'home' }
  | { name: 'departments' }
  | { name: 'services'; department: Department }
  | { name: 'priority'; department: Department; service: ServiceItem }
  | { name: 'ticket'; ticket: Ticket; service: ServiceItem; print: PrintPhase }
  | { name: 'staff-pin' }
  | { name: 'staff' };

const home: Screen = { name: 'home' };

function backFrom(screen: Screen): Screen | null {
  switch (screen.name) {
    case 'departments':
      return home;
    case 'services':
      return { name: 'departments' };
    case 'priority':
      return { name: 'services', department: screen.department };
    case 'staff-pin':
      return home;
    default:
      return null;
  }
}

export function App() {
  const { i18n } = useTranslation();
  const { kiosk, config, issuer, sync } = useKioskServices();
  const [screen, setScreen] = useState<Screen>(home);
  const { status: printer, refresh: refreshPrinter } = usePrinterStatus(kiosk);
  const language = languageOf(i18n.resolvedLanguage);

  useEffect(() => {
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
  }, [language]);

  /** Ready for the next citizen: home, in the hall's default language. */
  const reset = useCallback(() => {
    setScreen(home);
    if (languageOf(i18n.resolvedLanguage) !== config.defaultLanguage) void i18n.changeLanguage(config.defaultLanguage);
  }, [i18n, config.defaultLanguage]);

  const atRest = screen.name === 'home' && language === config.defaultLanguage;
  useIdleTimeout(config.idleTimeoutSeconds * 1000, reset, !atRest);

  const issue = useCallback(
    async (service: ServiceItem, priority: PriorityClass): Promise<IssueResult> => {
      const issued = await issuer.issue(service, priority);
      if (!issued.ok) return issued;
      sync.kick();
      const { ticket } = issued;
      setScreen({ name: 'ticket', ticket, service, print: { state: 'printing' } });
      // Printing goes on even if the citizen walks away and the screen moves on.
      void printAndRecord(
        ticket.id,
        () => buildTicketPrintJob({ ticket, service, hallName: config.hall.name, timeZone: config.hall.timeZone }),
        { printer: kiosk.printer, issuer },
      ).then(({ result }) => {
        sync.kick();
        refreshPrinter();
        setScreen((s) => (s.name === 'ticket' && s.ticket.id === ticket.id ? { ...s, print: { state: 'done', result } } : s));
      });
      return issued;
    },
    [issuer, kiosk, sync, config.hall.name, config.hall.timeZone, refreshPrinter],
  );

  const back = backFrom(screen);
  return (
    <div className="kiosk">
      <StatusBar printer={printer} />
      <main className="screen-area">
        {screen.name === 'home' && <HomeScreen onTake={() => setScreen({ name: 'departments' })} />}
        {screen.name === 'departments' && <DepartmentScreen onChoose={(department) => setScreen({ name: 'services', department })} />}
        {screen.name === 'services' && (
          <ServiceScreen department={screen.department} onChoose={(service) => setScreen({ name: 'priority', department: screen.department, service })} />
        )}
        {screen.name === 'priority' && (
          <PriorityScreen key={screen.service.id} service={screen.service} onConfirm={(priority) => issue(screen.service, priority)} />
        )}
        {screen.name === 'ticket' && <TicketScreen ticket={screen.ticket} service={screen.service} print={screen.print} onDone={reset} />}
        {screen.name === 'staff-pin' && <StaffPinScreen onSignedIn={() => setScreen({ name: 'staff' })} />}
        {screen.name === 'staff' && <StaffScreen printer={printer} onPrinted={refreshPrinter} onSignOut={reset} />}
      </main>
      <NavBar
        onBack={back ? () => setScreen(back) : null}
        onHome={screen.name === 'home' ? null : reset}
        onToggleLanguage={() => void i18n.changeLanguage(language === 'zh' ? 'en' : 'zh')}
        onStaff={() => setScreen((s) => (s.name === 'staff' ? s : { name: 'staff-pin' }))}
      />
    </div>
  );
}
