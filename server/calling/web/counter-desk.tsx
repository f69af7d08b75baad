import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { hallApi } from '../../../core/http/contract.ts';
import { defaultPauseReasons, pauseReasonName } from '../../../core/queue/calling-settings.ts';
import type { CounterPress, LegView, WindowQueue } from '../../../core/queue/counter-api.ts';
import type { HallEvent } from '../../../core/queue/hall-events.ts';
import { profileServices } from '../../../core/queue/window.ts';
import type { LocalizedText } from '../../../core/text/localized.ts';
import { HallClient } from '../../web/hall-client.ts';
import { useWebText } from '../../web/i18n.ts';
import { useHallEvents } from '../../web/use-hall-events.ts';
import type { DeskAction } from './counter-model.ts';
import { ServerClock, deskActions, minutesBetween, pressAllowed } from './counter-model.ts';
import type { StoredCounterSession } from './counter-session.ts';
import { browserStorage } from './counter-session.ts';
import type { CounterText } from './counter-text.ts';
import { LanguageToggle } from './language-toggle.tsx';
import { PauseDialog, TransferDialog } from './press-dialogs.tsx';
import type { PressOutcome } from './press-sender.ts';
import { PressSender } from './press-sender.ts';
import { ShortcutsDialog } from './shortcuts-dialog.tsx';
import type { Keymap, ShortcutAction } from './shortcuts.ts';
import { actionOfKey, keyLabel, loadKeymap, saveKeymap } from './shortcuts.ts';

type Message =
  | { kind: 'done'; text: string }
  | { kind: 'refused'; code: string; reason: LocalizedText | null; text: string };

type Dialog = 'pause' | 'transfer' | 'shortcuts' | null;

/** While a view request failed, the desk asks again this often (the stream reconnects by itself). */
const probeMs = 2_000;

function useTicking(clock: ServerClock, everyMs: number): number {
  const [now, setNow] = useState(() => clock.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(clock.now()), everyMs);
    return () => clearInterval(timer);
  }, [clock, everyMs]);
  return now;
}

/** The desk of a signed-in window: its ticket, the buttons, its queue and today's counts, live. */
export function CounterDesk({ session, onSignedOut }: { session: StoredCounterSession; onSignedOut: (why: 'signedOut' | null) => void }) {
  const { t, language } = useWebText<CounterText>();
  const client = useMemo(() => new HallClient({ token: () => session.token }), [session.token]);
  const clock = useMemo(() => new ServerClock(() => Date.now()), []);
  const sender = useMemo(
    () =>
      new PressSender(
        {
          send: (idempotencyKey, press) =>
            press.action === 'close' ? client.call(hallApi.counterSignOut, { body: { idempotencyKey } }) : client.call(hallApi.counterPress, { body: { idempotencyKey, press } }),
        },
        () => crypto.randomUUID(),
      ),
    [client],
  );
  const [queue, setQueue] = useState<WindowQueue | null>(null);
  const [requestsDown, setRequestsDown] = useState(false);
  const [busy, setBusy] = useState(false);
  const [pending, setPending] = useState<CounterPress | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [keymap, setKeymap] = useState<Keymap>(() => loadKeymap(browserStorage('local')));
  const now = useTicking(clock, 1_000);
  const signedOut = useRef(onSignedOut);
  useEffect(() => {
    signedOut.current = onSignedOut;
  });

  // One view request at a time; asks made meanwhile are folded into one more after it.
  const loading = useRef<{ running: boolean; again: boolean }>({ running: false, again: false });
  const reload = useCallback(async (): Promise<void> => {
    if (loading.current.running) {
      loading.current.again = true;
      return;
    }
    loading.current.running = true;
    try {
      do {
        loading.current.again = false;
        const answer = await client.call(hallApi.counterQueue);
        if (answer.ok) {
          clock.heard(answer.serverTime);
          setQueue(answer.value);
          setRequestsDown(false);
        } else if (answer.unreachable) {
          setRequestsDown(true);
        } else if (answer.refusal.status === 401) {
          return signedOut.current('signedOut');
        }
      } while (loading.current.again);
    } finally {
      loading.current.running = false;
    }
  }, [client, clock]);

  const services = useMemo(() => (queue ? new Set(profileServices(queue.window.profile)) : null), [queue]);
  const onEvent = useCallback(
    (event: HallEvent) => {
      // The hall's other services' counts are not this window's business.
      if (event.kind === 'queue' && services && !services.has(event.data.serviceId)) return;
      void reload();
    },
    [services, reload],
  );
  const stream = useHallEvents({ token: session.token, windows: [session.window], onEvent, onResync: () => void reload(), onUnauthorized: () => signedOut.current('signedOut') });
  const online = stream === 'open' && !requestsDown;

  useEffect(() => {
    void reload();
  }, [reload]);
  // A failed request is asked again until it is answered: the desk recovers by itself.
  useEffect(() => {
    if (!requestsDown) return undefined;
    const timer = setInterval(() => void reload(), probeMs);
    return () => clearInterval(timer);
  }, [requestsDown, reload]);

  const labelOf = (leg: LegView | null) => leg?.label ?? '';
  const handle = useCallback(
    (outcome: PressOutcome) => {
      setPending(sender.pending);
      switch (outcome.kind) {
        case 'busy':
          return;
        case 'unreachable':
          setRequestsDown(true);
          return;
        case 'signed-out':
          return signedOut.current('signedOut');
        case 'done': {
          if (outcome.press.action === 'close') return signedOut.current(null);
          const text = t(`done.${outcome.press.action}`, { label: labelOf(outcome.result.leg) }) + (outcome.result.replayed ? t('done.replayed') : '');
          setMessage({ kind: 'done', text });
          if (outcome.result.window && queue) setQueue({ ...queue, window: outcome.result.window, current: outcome.result.window.legId === null ? null : queue.current });
          void reload();
          return;
        }
        case 'refused':
          setMessage({ kind: 'refused', code: outcome.code, reason: outcome.reason, text: outcome.message });
          void reload();
          return;
      }
    },
    [sender, t, queue, reload],
  );

  const press = useCallback(
    async (what: CounterPress) => {
      if (!online || sender.busy) return;
      setBusy(true);
      setMessage(null);
      const outcome = await sender.press(what);
      setBusy(false);
      handle(outcome);
    },
    [online, sender, handle],
  );

  // Back online: the press that got no answer goes again, with its key.
  useEffect(() => {
    if (!online || !sender.pending || sender.busy) return;
    void (async () => {
      setBusy(true);
      const outcome = await sender.retry();
      setBusy(false);
      if (outcome) handle(outcome);
    })();
  }, [online, sender, handle]);

  const enabled = useCallback((action: CounterPress['action']) => online && !busy && queue !== null && pressAllowed(queue, action), [online, busy, queue]);

  const pressShortcut = useCallback(
    (action: ShortcutAction) => {
      if (action === 'pause') {
        if (enabled('pause')) setDialog('pause');
        return;
      }
      if (enabled(action)) void press({ action } as CounterPress);
    },
    [enabled, press],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (dialog !== null) return;
      const target = event.target as HTMLElement | null;
      const inTextField = !!target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT');
      const action = actionOfKey(keymap, { key: event.key, ctrlKey: event.ctrlKey, altKey: event.altKey, metaKey: event.metaKey, repeat: event.repeat, inTextField });
      if (action === null) return;
      // F1 help, F5 reload and the like must not happen at a window, enabled or not.
      event.preventDefault();
      pressShortcut(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dialog, keymap, pressShortcut]);

  const win = queue?.window ?? null;
  const current = queue?.current ?? null;
  const pauseName = win?.pause ? (pauseReasonName({ pauseReasons: defaultPauseReasons }, win.pause.reason)?.[language] ?? win.pause.reason) : null;
  const duration = (minutes: number) => (minutes >= 60 ? t('duration.hours', { hours: Math.floor(minutes / 60), minutes: minutes % 60 }) : t('duration.minutes', { minutes }));
  const time = (at: number) => new Date(at).toLocaleTimeString(language === 'en' ? 'en-GB' : 'zh-CN', { hour: '2-digit', minute: '2-digit' });

  const deskButton = (action: DeskAction) => {
    const paused = win?.state === 'paused';
    const real = action === 'pause-resume' ? (paused ? 'resume' : 'pause') : action;
    const key = real === 'transfer' ? undefined : keymap[real];
    const onClick = () => {
      if (real === 'pause') return setDialog('pause');
      if (real === 'transfer') return setDialog('transfer');
      void press({ action: real } as CounterPress);
    };
    return (
      <button key={action} type="button" className={`action-button action-${real}`} data-testid={`press-${real}`} disabled={!enabled(real)} onClick={onClick} aria-keyshortcuts={key}>
        <span className="action-name">{t(`action.${real}`)}</span>
        {key && <kbd data-testid={`key-${real}`}>{keyLabel(key)}</kbd>}
      </button>
    );
  };

  return (
    <div className="counter" data-testid="counter-desk" data-online={online} data-window-state={win?.state ?? 'unknown'}>
      <header className="counter-header">
        <strong className="window-name" data-testid="desk-window">{win?.name || t('header.window', { number: session.window })}</strong>
        <span data-testid="desk-staff">{t('header.staff', { staffId: session.staffId })}</span>
        {win && (
          <span className={`window-state state-${win.state}`} data-testid="desk-window-state" data-state={win.state}>
            {pauseName ? t('header.pausedFor', { reason: pauseName }) : t(`header.state.${win.state}`)}
          </span>
        )}
        <span className="header-spacer" />
        <LanguageToggle />
        <button type="button" data-testid="open-shortcuts" onClick={() => setDialog('shortcuts')}>
          {t('header.settings')}
        </button>
        <button type="button" className="sign-out" data-testid="press-close" disabled={!enabled('close')} onClick={() => void press({ action: 'close' })}>
          {t('header.signOut')}
        </button>
      </header>
      {stream === 'connecting' && !requestsDown && (
        <div className="hall-note" data-testid="connecting">
          {t('connecting')}
        </div>
      )}
      {(stream === 'down' || requestsDown) && (
        <div className="hall-banner" role="alert" data-testid="offline-banner">
          {t('offline')}
        </div>
      )}
      {pending && (
        <div className="hall-note" role="status" data-testid="press-pending" data-action={pending.action}>
          {t('retrying', { action: t(`action.${pending.action}`) })}
        </div>
      )}
      <main className="counter-main">
        <section className="desk">
          <div className="ticket-panel" data-testid="current-ticket" data-label={current?.label ?? ''} data-state={current?.state ?? ''}>
            <h2 className="panel-heading">{t('current.heading')}</h2>
            {current ? (
              <div className="ticket-body">
                <div className="ticket-label" data-testid="current-label">
                  {current.label}
                </div>
                <dl className="ticket-facts">
                  <dt>{t('current.service')}</dt>
                  <dd data-testid="current-service">{current.serviceId}</dd>
                  <dt>{t('current.priority')}</dt>
                  <dd data-testid="current-priority" className={current.priority === 'normal' ? '' : 'priority'}>
                    {t(`priority.${current.priority}`)}
                  </dd>
                  <dt>{t('current.issuedAt')}</dt>
                  <dd data-testid="current-issued">{time(current.issuedAt)}</dd>
                  <dt>{t('current.waited')}</dt>
                  <dd data-testid="current-waited">{duration(minutesBetween(current.issuedAt, now))}</dd>
                </dl>
                <div className="ticket-state" data-testid="current-state">
                  {t(`current.state.${current.state}`)}
                  {current.calls > 0 && ` · ${t('current.calls', { count: current.calls })}`}
                </div>
              </div>
            ) : (
              <p className="ticket-none" data-testid="current-none">
                {t('current.none')}
              </p>
            )}
          </div>
          <div className="desk-message" aria-live="polite">
            {message && (
              <p className={`counter-message message-${message.kind}`} data-testid="counter-message" data-kind={message.kind} data-refusal={message.kind === 'refused' ? message.code : undefined}>
                {message.kind === 'refused' ? (message.reason ? message.reason[language] : t('error.failed', { message: message.text })) : message.text}
              </p>
            )}
          </div>
          <div className="actions">{deskActions.map(deskButton)}</div>
        </section>
        <aside className="side">
          <section className="side-panel waiting" data-testid="waiting-list" data-count={queue?.waiting.length ?? 0}>
            <h2 className="panel-heading">
              {t('waiting.heading')} <span className="count">{t('waiting.count', { count: queue?.waiting.length ?? 0 })}</span>
            </h2>
            {queue && queue.waiting.length === 0 && <p className="muted">{t('waiting.empty')}</p>}
            <ol className="leg-list">
              {queue?.waiting.map((leg) => (
                <li key={leg.id} data-testid={`waiting-${leg.label}`}>
                  <span className="leg-label">{leg.label}</span>
                  <span className="leg-service">{leg.serviceId}</span>
                  {leg.priority !== 'normal' && <span className="priority">{t(`priority.${leg.priority}`)}</span>}
                  <span className="leg-waited">{duration(minutesBetween(leg.issuedAt, now))}</span>
                </li>
              ))}
            </ol>
          </section>
          {queue && queue.suspended.length > 0 && (
            <section className="side-panel suspended" data-testid="suspended-list">
              <h2 className="panel-heading">{t('waiting.suspended')}</h2>
              <ul className="leg-list">
                {queue.suspended.slice(0, 3).map((leg) => (
                  <li key={leg.id}>
                    <span className="leg-label">{leg.label}</span>
                    <button type="button" data-testid={`call-back-${leg.label}`} disabled={!enabled('call-back')} onClick={() => void press({ action: 'call-back', legId: leg.id })}>
                      {t('action.call-back')}
                    </button>
                  </li>
                ))}
              </ul>
              {queue.suspended.length > 3 && <p className="muted">+{queue.suspended.length - 3}</p>}
            </section>
          )}
          <section className="side-panel today" data-testid="today">
            <h2 className="panel-heading">{t('today.heading')}</h2>
            <dl className="today-counts">
              {(['called', 'served', 'noShows', 'transferred'] as const).map((k) => (
                <div key={k}>
                  <dt>{t(`today.${k}`)}</dt>
                  <dd data-testid={`today-${k}`}>{queue?.today[k] ?? '–'}</dd>
                </div>
              ))}
            </dl>
          </section>
        </aside>
      </main>
      {dialog === 'pause' && (
        <PauseDialog
          reasons={defaultPauseReasons}
          onCancel={() => setDialog(null)}
          onPause={(reason, note) => {
            setDialog(null);
            void press({ action: 'pause', reason, note });
          }}
        />
      )}
      {dialog === 'transfer' && win && (
        <TransferDialog
          services={profileServices(win.profile)}
          onCancel={() => setDialog(null)}
          onTransfer={(serviceId, window) => {
            setDialog(null);
            void press({ action: 'transfer', serviceId, window });
          }}
        />
      )}
      {dialog === 'shortcuts' && (
        <ShortcutsDialog
          keymap={keymap}
          onChange={(next) => {
            saveKeymap(browserStorage('local'), next);
            setKeymap(next);
          }}
          onClose={() => setDialog(null)}
        />
      )}
    </div>
  );
}
