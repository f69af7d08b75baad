import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceItem } from '../../../core/catalog/catalog.ts';
import type { PrintResult } from '../../../core/printing/printing.ts';
import type { Ticket } from '../../../core/ticket/ticket.ts';
import { isPriority } from '../../../core/ticket/ticket.ts';
import { useElderMode } from '../../elder/elder-mode.tsx';
import { elderIdleFactor } from '../../elder/elder-rules.ts';
import { hallMinuteText } from '../../hall-time.ts';
import { useLocalized } from '../../i18n/use-localized.ts';
import type { TicketValidity } from '../../../core/calendar/hall-calendar.ts';
import { ticketValidityText } from './availability-text.ts';
import { useKioskServices } from '../../app/kiosk-services.ts';
import { waitEstimateText } from '../../../core/queue/wait-estimate.ts';
import { QrCode } from './qr-code.tsx';

export type PrintPhase = { state: 'printing' } | { state: 'done'; result: PrintResult };

/**
 * Long enough to read, short enough that the next citizen need not wait; a failure needs more.
 * 长辈模式 stretches both by the factor it stretches the idle timeout by.
 */
const returnAfterPrintedSeconds = 10;
const returnAfterFailureSeconds = 30;

interface TicketScreenProps {
  ticket: Ticket;
  service: ServiceItem;
  print: PrintPhase;
  /** people ahead when it was issued, the hall server's figure; null when the kiosk did not know (offline) */
  peopleAhead: number | null;
  /** 预计等候 in minutes when it was issued; null when the server could not say, or offline */
  waitEstimateMinutes: number | null;
  /** the live ticket's address (the paper's QR); null when the hall has no public address */
  liveUrl: string | null;
  /** whether the number is for counters open now, the self-service area, or from a later opening */
  validity: TicketValidity;
  onDone: () => void;
}

export function TicketScreen({ ticket, service, print, peopleAhead, waitEstimateMinutes, liveUrl, validity, onDone }: TicketScreenProps) {
  const { t } = useTranslation();
  const local = useLocalized();
  const { config } = useKioskServices();
  const elder = useElderMode();
  const outcome = print.state === 'printing' ? 'printing' : print.result.outcome;
  const failed = outcome !== 'printing' && outcome !== 'printed';
  const pace = elder.on ? elderIdleFactor : 1;
  const countdownFrom = outcome === 'printing' ? null : (failed ? returnAfterFailureSeconds : returnAfterPrintedSeconds) * pace;
  const secondsLeft = useCountdown(countdownFrom, onDone);
  const validityText = ticketValidityText(t, validity, ticket.issuedAt, config.hall.timeZone);
  const eTicket = failed && liveUrl !== null && outcome === 'paper-out';

  return (
    <section className={eTicket ? 'screen screen-ticket screen-ticket-eticket' : 'screen screen-ticket'} data-testid="ticket">
      {/* The number, and what to do next: one column when portrait, side by side when landscape (styles.css). */}
      <div className="ticket-side ticket-number-side">
        <h1 className="screen-title">{t('ticket.title')}</h1>
        <p className="ticket-caption">{t('ticket.number')}</p>
        <p className="ticket-label" data-testid="ticket-label">
          {ticket.label}
        </p>
        {isPriority(ticket.priority) && (
          <p className="ticket-priority" data-testid="ticket-priority" data-priority={ticket.priority}>
            {t('ticket.priorityMark', { cls: t(`priority.${ticket.priority}`) })}
          </p>
        )}
        {peopleAhead !== null && (
          <p className="ticket-ahead" data-testid="ticket-people-ahead" data-count={peopleAhead}>
            {t('ticket.peopleAhead', { count: peopleAhead })}
          </p>
        )}
        {peopleAhead !== null && waitEstimateMinutes !== null && (
          <p className="ticket-estimate" data-testid="ticket-wait-estimate" data-minutes={waitEstimateMinutes}>
            {local(waitEstimateText(waitEstimateMinutes))}
          </p>
        )}
        {validityText && (
          <p className="ticket-validity" data-testid="ticket-validity" data-kind={validity.kind}>
            {validityText.text}
          </p>
        )}
      </div>
      <div className="ticket-side ticket-next-side">
        <dl className="ticket-facts">
          <dt>{t('ticket.service')}</dt>
          <dd data-testid="ticket-service">{local(service.name)}</dd>
          <dt>{t('ticket.windows')}</dt>
          <dd data-testid="ticket-windows">{validityText?.windows ?? local(service.windows)}</dd>
          <dt>{t('ticket.time')}</dt>
          <dd data-testid="ticket-time">{hallMinuteText(ticket.issuedAt, config.hall.timeZone)}</dd>
        </dl>
        <p
          className={`print-state ${failed ? 'print-state-bad' : outcome === 'printed' ? 'print-state-ok' : 'print-state-busy'}`}
          data-testid="ticket-print-state"
          data-state={outcome}
          role={failed ? 'alert' : 'status'}
        >
          {outcome === 'printing' ? t('ticket.printing') : outcome === 'printed' ? t('ticket.printed') : t(`printFailed.${outcome}`)}
        </p>
        {eTicket ? (
          // The number on the citizen's phone instead of on paper: the same live ticket the QR would open.
          <div className="ticket-eticket" data-testid="ticket-eticket">
            <QrCode text={liveUrl} label={t('ticket.eTicketQr', { label: ticket.label })} testId="ticket-eticket-qr" />
            <p className="message">{t('ticket.eTicket', { label: ticket.label })}</p>
          </div>
        ) : (
          failed && <p className="message">{t('ticket.keepNumber', { label: ticket.label })}</p>
        )}
        <button type="button" className="button button-primary button-confirm" data-testid="ticket-done" onClick={onDone}>
          {t('ticket.done')}
        </button>
        {secondsLeft !== null && <p className="hint" data-testid="ticket-countdown" data-countdown data-seconds={secondsLeft}>{t('ticket.returning', { seconds: secondsLeft })}</p>}
      </div>
    </section>
  );
}

/** Counts down once `from` is set, then calls onExpire; null holds the screen (still printing). */
function useCountdown(from: number | null, onExpire: () => void): number | null {
  const [left, setLeft] = useState<{ from: number; left: number } | null>(null);
  const onExpireRef = useRef(onExpire);
  useEffect(() => {
    onExpireRef.current = onExpire;
  }, [onExpire]);

  useEffect(() => {
    if (from === null) return undefined;
    let remaining = from;
    setLeft({ from, left: remaining });
    const timer = setInterval(() => {
      remaining -= 1;
      if (remaining <= 0) {
        clearInterval(timer);
        onExpireRef.current();
        return;
      }
      setLeft({ from, left: remaining });
    }, 1000);
    return () => clearInterval(timer);
  }, [from]);

  return from === null || left?.from !== from ? from : left.left;
}
