import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Department, ServiceItem } from '../../core/catalog/catalog.ts';
import { servicesOf } from '../../core/catalog/catalog.ts';
import type { StaffTouch } from '../../core/attendance/staff-api.ts';
import type { PriorityClass, Ticket } from '../../core/ticket/ticket.ts';
import type { TicketValidity } from '../../core/calendar/hall-calendar.ts';
import type { IssueOutcome } from '../tickets/issue-ticket.ts';
import { languageOf, useLocalized } from '../i18n/use-localized.ts';
import type { BrowseIntent, ServiceActions } from '../screens/citizen/browse-intent.ts';
import type { BrowseMode } from '../screens/citizen/browse-tabs.tsx';
import type { CategoryChoice } from '../screens/citizen/category-screen.tsx';
import { CategoryScreen, CategoryServicesScreen } from '../screens/citizen/category-screen.tsx';
import { CheckinScreen } from '../screens/staff/checkin-screen.tsx';
import { ChecklistScreen } from '../screens/citizen/checklist-screen.tsx';
import { DepartmentScreen } from '../screens/citizen/department-screen.tsx';
import { TapShield } from '../ui/double-tap.tsx';
import { GuideScreen } from '../screens/citizen/guide-screen.tsx';
import { HomeFingerWatch } from '../screens/staff/home-finger-watch.tsx';
import { HallNowContext, useHallNowState } from './hall-now.ts';
import { HomeScreen } from '../screens/citizen/home-screen.tsx';
import { NoContentScreen, type MissingContent } from '../screens/citizen/no-content-screen.tsx';
import { useKioskServices } from './kiosk-services.ts';
import { NavBar } from '../ui/nav-bar.tsx';
import { PriorityScreen } from '../screens/citizen/priority-screen.tsx';
import { SearchScreen } from '../screens/citizen/search-screen.tsx';
import { SelfServiceScreen } from '../screens/citizen/self-service-screen.tsx';
import { ServiceScreen } from '../screens/citizen/service-screen.tsx';
import { StaffPinScreen } from '../screens/staff/staff-pin-screen.tsx';
import { StaffScreen } from '../screens/maintenance/staff-screen.tsx';
import { StatusBar } from '../ui/status-bar.tsx';
import type { PrintPhase } from '../screens/citizen/ticket-screen.tsx';
import { TicketScreen } from '../screens/citizen/ticket-screen.tsx';
import { useIdleTimeout } from '../hooks/use-idle-timeout.ts';
import { useElderMode } from '../elder/elder-mode.tsx';
import { ElderPrompt } from '../elder/elder-prompt.tsx';
import { idleTimeoutMs, idleWarningMs } from '../elder/elder-rules.ts';
import { IdleWarningDialog } from '../ui/idle-warning.tsx';
import type { PromptedScreen } from '../elder/screen-prompts.ts';
import { usePrinterStatus } from '../hooks/use-printer-status.ts';

/**
 * Being on the staff screen is the staff session: leaving it, by hand or by idle, signs out.
 * Screens reached from more than one place remember where "back" leads.
 */
type Screen =
  | { name: 'home' }
  | { name: 'departments'; intent: BrowseIntent }
  | { name: 'categories'; intent: BrowseIntent }
  | { name: 'search'; intent: BrowseIntent; query: string }
  | { name: 'services'; intent: BrowseIntent; department: Department; back: Screen }
  | { name: 'category-services'; intent: BrowseIntent; category: CategoryChoice; back: Screen }
  | { name: 'guide'; service: ServiceItem; back: Screen }
  | { name: 'checklist'; service: ServiceItem; back: Screen }
  | { name: 'priority'; service: ServiceItem; back: Screen }
  | { name: 'ticket'; ticket: Ticket; service: ServiceItem; print: PrintPhase; peopleAhead: number | null; validity: TicketValidity }
  | { name: 'staff-pin' }
  | { name: 'checkin'; firstTouch?: StaffTouch }
  | { name: 'staff' };

const home: Screen = { name: 'home' };

function backFrom(screen: Screen): Screen | null {
  switch (screen.name) {
    case 'departments':
    case 'categories':
    case 'search':
    case 'staff-pin':
    case 'checkin':
      return home;
    case 'services':
    case 'category-services':
    case 'guide':
    case 'checklist':
    case 'priority':
      return screen.back;
    case 'home':
    case 'ticket':
    case 'staff':
      return null;
  }
}

function browseScreen(mode: BrowseMode, intent: BrowseIntent): Screen {
  return mode === 'search' ? { name: 'search', intent, query: '' } : { name: mode, intent };
}

export function App() {
  const { i18n } = useTranslation();
  const local = useLocalized();
  const { kiosk, config, issueTicket, catalog, guides, hallRules, hallClock, tally, content } = useKioskServices();
  const [screen, setScreen] = useState<Screen>(home);
  const [tallyVersion, setTallyVersion] = useState(0);
  const hall = useHallNowState({ rules: hallRules, clock: hallClock, timeZone: config.hall.timeZone, tally, tallyVersion });
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

  // A finger on the reader at the home screen: straight to the sign-in result (home-finger-watch.tsx).
  const fingerOnHome = useCallback((found: StaffTouch) => setScreen({ name: 'checkin', firstTouch: found }), []);

  /** The citizen is done (ticket in hand, or gone): elder mode too goes back to the hall's default. */
  const elder = useElderMode();
  const { reset: resetElder } = elder;
  const nextCitizen = useCallback(() => {
    reset();
    resetElder();
  }, [reset, resetElder]);

  const atRest = screen.name === 'home' && language === config.defaultLanguage && elder.atDefault;
  const idleWarning = useIdleTimeout(idleTimeoutMs(config.idleTimeoutSeconds, elder.on), idleWarningMs(elder.on), nextCitizen, !atRest);

  const issue = useCallback(
    async (service: ServiceItem, priority: PriorityClass): Promise<IssueOutcome> => {
      const issued = await issueTicket.issue(service, priority, language);
      setTallyVersion((v) => v + 1);
      if (!issued.ok) return issued;
      const { ticket, peopleAhead, validity, printed } = issued;
      setScreen({ name: 'ticket', ticket, service, print: { state: 'printing' }, peopleAhead, validity });
      void printed.then(({ result }) => {
        refreshPrinter();
        setScreen((s) => (s.name === 'ticket' && s.ticket.id === ticket.id ? { ...s, print: { state: 'done', result } } : s));
      });
      return issued;
    },
    [issueTicket, refreshPrinter, language],
  );

  /** What a tap on a service leads to, with the current screen to come back to. */
  const actionsFrom = (from: Screen): ServiceActions => ({
    onTake: (service) => setScreen({ name: 'priority', service, back: from }),
    onGuide: (service) => setScreen({ name: 'guide', service, back: from }),
  });
  const guideOf = (service: ServiceItem) => (Object.hasOwn(guides, service.id) ? guides[service.id] : undefined);

  // Never invented services or hours: without the hall's own, the kiosk says what it lacks.
  const missingContent: MissingContent[] = [...(content.catalog === 'none' ? ['catalog' as const] : []), ...(content.hallRules === 'none' ? ['hallRules' as const] : [])];

  const back = backFrom(screen);
  const body = (() => {
    switch (screen.name) {
      case 'home':
        return (
          <>
            <HomeFingerWatch onFinger={fingerOnHome} />
            {missingContent.length > 0 ? (
              <NoContentScreen missing={missingContent} onCheckin={() => setScreen({ name: 'checkin' })} />
            ) : hall.mode.mode === 'self-service' ? (
              <SelfServiceScreen
                hall={hall}
                rules={hallRules}
                actions={actionsFrom(screen)}
                onGuide={() => setScreen(browseScreen('search', 'guide'))}
                onCheckin={() => setScreen({ name: 'checkin' })}
              />
            ) : (
              <HomeScreen onTake={() => setScreen({ name: 'departments', intent: 'ticket' })} onGuide={() => setScreen(browseScreen('search', 'guide'))} onCheckin={() => setScreen({ name: 'checkin' })} />
            )}
          </>
        );
      case 'departments':
        return (
          <DepartmentScreen
            onChoose={(department) => setScreen({ name: 'services', intent: screen.intent, department, back: screen })}
            onMode={(mode) => setScreen(browseScreen(mode, screen.intent))}
          />
        );
      case 'categories':
        return (
          <CategoryScreen
            onChoose={(category) => setScreen({ name: 'category-services', intent: screen.intent, category, back: screen })}
            onMode={(mode) => setScreen(browseScreen(mode, screen.intent))}
          />
        );
      case 'search':
        return (
          <SearchScreen
            query={screen.query}
            onQuery={(query) => setScreen((s) => (s.name === 'search' ? { ...s, query } : s))}
            intent={screen.intent}
            actions={actionsFrom(screen)}
            onMode={(mode) => setScreen(browseScreen(mode, screen.intent))}
          />
        );
      case 'services':
        return (
          <ServiceScreen
            context={local(screen.department.name)}
            services={servicesOf(catalog, screen.department.id)}
            intent={screen.intent}
            actions={actionsFrom(screen)}
            listKey={`department-${screen.department.id}`}
          />
        );
      case 'category-services':
        return <CategoryServicesScreen category={screen.category} intent={screen.intent} actions={actionsFrom(screen)} />;
      case 'guide': {
        const guide = guideOf(screen.service);
        if (!guide) return <NoGuide />;
        return (
          <GuideScreen
            service={screen.service}
            guide={guide}
            onTake={() => setScreen({ name: 'priority', service: screen.service, back: screen })}
            onChecklist={() => setScreen({ name: 'checklist', service: screen.service, back: screen })}
          />
        );
      }
      case 'checklist': {
        const guide = guideOf(screen.service);
        if (!guide) return <NoGuide />;
        return (
          <ChecklistScreen
            key={screen.service.id}
            service={screen.service}
            guide={guide}
            onTake={() => setScreen({ name: 'priority', service: screen.service, back: screen })}
            onPrinted={refreshPrinter}
          />
        );
      }
      case 'priority':
        return <PriorityScreen key={screen.service.id} service={screen.service} onConfirm={(priority) => issue(screen.service, priority)} />;
      case 'ticket':
        return <TicketScreen ticket={screen.ticket} service={screen.service} print={screen.print} peopleAhead={screen.peopleAhead} validity={screen.validity} onDone={nextCitizen} />;
      case 'staff-pin':
        return <StaffPinScreen onSignedIn={() => setScreen({ name: 'staff' })} />;
      case 'checkin':
        return <CheckinScreen {...(screen.firstTouch ? { firstTouch: screen.firstTouch } : {})} />;
      case 'staff':
        return <StaffScreen printer={printer} onPrinted={refreshPrinter} onSignOut={reset} />;
    }
  })();

  return (
    <HallNowContext value={hall}>
      <div className={`kiosk kiosk-${hall.mode.mode}`} data-mode={hall.mode.mode}>
        <TapShield key={screen.name === 'ticket' ? `ticket-${screen.ticket.id}` : screen.name} />
        <StatusBar printer={printer} />
        <ElderPrompt screen={promptedScreen(screen)} />
        <main className="screen-area">{body}</main>
        <NavBar
          onBack={back ? () => setScreen(back) : null}
          onHome={screen.name === 'home' ? null : reset}
          onToggleLanguage={() => void i18n.changeLanguage(language === 'zh' ? 'en' : 'zh')}
          onStaff={() => setScreen((s) => (s.name === 'staff' ? s : { name: 'staff-pin' }))}
        />
        <IdleWarningDialog warning={idleWarning} />
      </div>
    </HallNowContext>
  );
}

function promptedScreen(screen: Screen): PromptedScreen {
  if (screen.name !== 'ticket') return { name: screen.name };
  const { print } = screen;
  return { name: 'ticket', label: screen.ticket.label, print: print.state === 'printing' ? 'printing' : print.result.outcome === 'printed' ? 'printed' : 'failed' };
}

/** A catalog that changed under the citizen may no longer have the guide they were reading. */
function NoGuide() {
  const { t } = useTranslation();
  return (
    <section className="screen" data-testid="no-guide">
      <p className="message">{t('service.noGuide')}</p>
    </section>
  );
}
