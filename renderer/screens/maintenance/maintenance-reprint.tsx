import type { FormEvent } from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi, PrintedTicket } from '../../../core/kiosk/kiosk-api.ts';
import type { Ticket } from '../../../core/ticket/ticket.ts';
import { reprintRefusal } from '../../../core/ticket/lifecycle.ts';
import { hallMinuteText } from '../../hall-time.ts';
import { useLocalized } from '../../i18n/use-localized.ts';
import type { ReprintOutcome } from '../../printing/print-and-record.ts';
import { reprintAndRecord, reprintFromRecord } from '../../printing/print-and-record.ts';
import { ticketNumberKey } from '../../../core/ticket/ticket.ts';
import { buildTicketPrintJob } from '../../printing/ticket-print-job.ts';
import { useKioskServices } from '../../app/kiosk-services.ts';
import { TicketNumberKeypad } from './ticket-number-keypad.tsx';

/** Long enough for two-letter prefixes and five-digit numbers, and no more. */
const maxTyped = 8;

type Lookup =
  | { kind: 'found'; ticket: Ticket }
  /** printed by this kiosk, by the privileged side's record, but unknown to this browser profile (wiped) */
  | { kind: 'recorded'; record: PrintedTicket }
  | { kind: 'not-found'; typed: string };

/**
 * The privileged side's record of the ticket with this number that this kiosk printed on `day`;
 * undefined when it printed none. A record that cannot be read counts as none, said in the log.
 */
async function printedByThisKiosk(kiosk: KioskApi, day: string, typed: string): Promise<PrintedTicket | undefined> {
  try {
    const { tickets } = await kiosk.printer.printedTickets({ businessDay: day });
    const wanted = ticketNumberKey(typed);
    return tickets.find((t) => ticketNumberKey(t.label) === wanted);
  } catch (error) {
    console.error("could not read the kiosk's record of printed tickets", error);
    return undefined;
  }
}

interface MaintenanceReprintProps {
  /** the printer's state may have changed (paper out…) */
  onPrinted: () => void;
}

/**
 * 补打: staff look up today's ticket by the number the citizen remembers and print it again,
 * marked as a reprint. Two taps, like voiding: a second paper ticket is not to be made by accident.
 */
export function MaintenanceReprint({ onPrinted }: MaintenanceReprintProps) {
  const { t } = useTranslation();
  const local = useLocalized();
  const { kiosk, issuer, catalog, config, sync, publicAddress } = useKioskServices();
  const [typed, setTyped] = useState('');
  const [lookup, setLookup] = useState<Lookup | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ReprintOutcome | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const type = (next: string): void => {
    setTyped(next.replace(/[^0-9a-z]/gi, '').toUpperCase().slice(0, maxTyped));
    setLookup(null);
    setConfirming(false);
    setOutcome(null);
    setFailure(null);
  };

  const find = async (e?: FormEvent): Promise<void> => {
    e?.preventDefault();
    if (!typed) return;
    setOutcome(null);
    setFailure(null);
    setConfirming(false);
    try {
      const ticket = await issuer.findToday(typed);
      if (ticket) {
        setLookup({ kind: 'found', ticket });
        return;
      }
      // This profile may have been wiped since: the kiosk's own record of what it printed still knows.
      const record = await printedByThisKiosk(kiosk, issuer.today(), typed);
      setLookup(record ? { kind: 'recorded', record } : { kind: 'not-found', typed });
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    }
  };

  const reprintRecorded = async (record: PrintedTicket): Promise<void> => {
    if (busy) return;
    setBusy(true);
    setConfirming(false);
    setFailure(null);
    try {
      const done = await reprintFromRecord(record, { printer: kiosk.printer, issuer });
      setOutcome(done);
      if (done.kind === 'recorded') sync.kick();
      onPrinted();
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
      const now = await printedByThisKiosk(kiosk, record.businessDay, record.label);
      if (now) setLookup({ kind: 'recorded', record: now });
    }
  };

  const reprint = async (ticket: Ticket): Promise<void> => {
    if (busy) return;
    setBusy(true);
    setConfirming(false);
    setFailure(null);
    try {
      const service = catalog.services.find((s) => s.id === ticket.serviceId);
      const done = await reprintAndRecord(
        ticket.id,
        (current) => buildTicketPrintJob({ ticket: current, service, hallName: config.hall.name, timeZone: config.hall.timeZone, reprint: true, publicAddress: publicAddress() }),
        { printer: kiosk.printer, issuer },
      );
      setOutcome(done);
      if (done.kind === 'recorded') sync.kick();
      onPrinted();
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
      const now = await issuer.ticket(ticket.id);
      if (now) setLookup({ kind: 'found', ticket: now });
    }
  };

  const found = lookup?.kind === 'found' ? lookup.ticket : null;
  const recorded = lookup?.kind === 'recorded' ? lookup.record : null;
  const refusal = found ? reprintRefusal(found) : null;
  const service = found ? catalog.services.find((s) => s.id === found.serviceId) : undefined;
  // The record holds the printed (Chinese) job: the catalog names the service in the screen's language when it still lists it.
  const recordedService = recorded ? catalog.services.find((s) => s.name.zh === recorded.job.serviceName) : undefined;
  const confirmButtons = (label: string, onConfirm: () => void) =>
    confirming ? (
      <>
        <button type="button" className="button button-primary" data-testid="reprint-confirm" disabled={busy} onClick={onConfirm}>
          {t('maintenance.reprint.confirm', { label })}
        </button>
        <button type="button" className="button button-secondary" onClick={() => setConfirming(false)}>
          {t('maintenance.reprint.cancel')}
        </button>
      </>
    ) : (
      <button type="button" className="button button-primary" data-testid="reprint-start" disabled={busy} onClick={() => setConfirming(true)}>
        {busy ? t('maintenance.reprint.printing') : t('maintenance.reprint.start')}
      </button>
    );

  return (
    <section className="maintenance-panel" data-testid="maintenance-reprint">
      <h2 className="group-title">{t('maintenance.reprint.title')}</h2>
      <form className="reprint-form" onSubmit={(e) => void find(e)}>
        <input
          className="reprint-input"
          data-testid="reprint-number"
          aria-label={t('maintenance.reprint.inputLabel')}
          placeholder={t('maintenance.reprint.prompt')}
          autoComplete="off"
          value={typed}
          onChange={(e) => type(e.target.value)}
        />
        <button type="submit" className="button button-primary" data-testid="reprint-find" disabled={!typed}>
          {t('maintenance.reprint.find')}
        </button>
      </form>
      <TicketNumberKeypad onKey={(key) => type(typed + key)} onDelete={() => type(typed.slice(0, -1))} onClear={() => type('')} />

      {lookup?.kind === 'not-found' && (
        <p className="message message-bad" data-testid="reprint-not-found" role="alert">
          {t('maintenance.reprint.notFound', { label: lookup.typed })}
        </p>
      )}

      {found && (
        <div className="unprinted" data-testid="reprint-found" data-label={found.label} data-state={found.state}>
          <div className="unprinted-facts">
            <span className="unprinted-label">{found.label}</span>
            <span>{service ? local(service.name) : found.serviceId}</span>
            <span>{t('staff.issuedAt', { time: hallMinuteText(found.issuedAt, config.hall.timeZone) })}</span>
            <span data-testid="reprint-state">{t('maintenance.reprint.stateLine', { state: t(`maintenance.reprint.state.${found.state}`) })}</span>
            <span>{t('maintenance.reprint.attempts', { count: found.printAttempts })}</span>
          </div>
          <div className="unprinted-actions">{refusal === null && confirmButtons(found.label, () => void reprint(found))}</div>
        </div>
      )}

      {recorded && (
        <div className="unprinted" data-testid="reprint-found" data-label={recorded.label} data-state={recorded.voided ? 'voided' : 'issued'} data-source="kiosk-record">
          <div className="unprinted-facts">
            <span className="unprinted-label">{recorded.label}</span>
            <span>{recordedService ? local(recordedService.name) : recorded.job.serviceName}</span>
            <span>{t('staff.issuedAt', { time: recorded.job.issuedAtText })}</span>
            <span data-testid="reprint-state">{t('maintenance.reprint.stateLine', { state: t(`maintenance.reprint.state.${recorded.voided ? 'voided' : 'issued'}`) })}</span>
            <span>{t('maintenance.reprint.attempts', { count: recorded.prints })}</span>
            <span data-testid="reprint-source">{t('maintenance.reprint.fromKioskRecord')}</span>
          </div>
          <div className="unprinted-actions">{!recorded.voided && confirmButtons(recorded.label, () => void reprintRecorded(recorded))}</div>
        </div>
      )}
      {recorded?.voided && outcome?.kind !== 'refused' && (
        <p className="message message-bad" data-testid="reprint-refused" data-reason="voided" role="alert">
          {t('maintenance.reprint.refused.voided')}
        </p>
      )}

      {found && refusal !== null && outcome?.kind !== 'refused' && (
        <p className="message message-bad" data-testid="reprint-refused" data-reason={refusal} role="alert">
          {t(`maintenance.reprint.refused.${refusal}`)}
        </p>
      )}
      {outcome && <ReprintOutcomeText outcome={outcome} label={found?.label ?? recorded?.label ?? ''} />}
      {failure && (
        <p className="message message-bad" role="alert">
          {t('staff.actionFailed', { detail: failure })}
        </p>
      )}
    </section>
  );
}

function ReprintOutcomeText({ outcome, label }: { outcome: ReprintOutcome; label: string }) {
  const { t } = useTranslation();
  if (outcome.kind === 'refused') {
    return (
      <p className="message message-bad" data-testid="reprint-outcome" data-outcome="refused" role="alert">
        {t(`maintenance.reprint.refused.${outcome.reason}`)}
      </p>
    );
  }
  if (outcome.kind === 'not-printed') {
    const { result } = outcome;
    return (
      <p className="message message-bad" data-testid="reprint-outcome" data-outcome={result.outcome} role="alert">
        {t('maintenance.reprint.notPrinted', { reason: t(`failureReason.${result.outcome === 'printed' ? 'unknown' : result.outcome}`) })}
      </p>
    );
  }
  const printed = outcome.result.outcome === 'printed';
  return (
    <p className={`message ${printed ? '' : 'message-bad'}`} data-testid="reprint-outcome" data-outcome={outcome.result.outcome} role={printed ? 'status' : 'alert'}>
      {printed ? t('maintenance.reprint.printed', { label }) : t('maintenance.reprint.uncertain')}
    </p>
  );
}
