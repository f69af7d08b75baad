import type { FormEvent } from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../../core/ticket/ticket.ts';
import { reprintRefusal } from '../../../core/ticket/ticket.ts';
import { hallMinuteText } from '../../hall-time.ts';
import { useLocalized } from '../../i18n/use-localized.ts';
import type { ReprintOutcome } from '../../printing/print-and-record.ts';
import { reprintAndRecord } from '../../printing/print-and-record.ts';
import { buildTicketPrintJob } from '../../printing/ticket-print-job.ts';
import { useKioskServices } from '../../app/kiosk-services.ts';
import { TicketNumberKeypad } from './ticket-number-keypad.tsx';

/** Long enough for two-letter prefixes and five-digit numbers, and no more. */
const maxTyped = 8;

type Lookup = { kind: 'found'; ticket: Ticket } | { kind: 'not-found'; typed: string };

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
  const { kiosk, issuer, catalog, config, sync } = useKioskServices();
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
      setLookup(ticket ? { kind: 'found', ticket } : { kind: 'not-found', typed });
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
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
        (current) => buildTicketPrintJob({ ticket: current, service, hallName: config.hall.name, timeZone: config.hall.timeZone, reprint: true }),
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
  const refusal = found ? reprintRefusal(found) : null;
  const service = found ? catalog.services.find((s) => s.id === found.serviceId) : undefined;

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
          <div className="unprinted-actions">
            {refusal === null &&
              (confirming ? (
                <>
                  <button type="button" className="button button-primary" data-testid="reprint-confirm" disabled={busy} onClick={() => void reprint(found)}>
                    {t('maintenance.reprint.confirm', { label: found.label })}
                  </button>
                  <button type="button" className="button button-secondary" onClick={() => setConfirming(false)}>
                    {t('maintenance.reprint.cancel')}
                  </button>
                </>
              ) : (
                <button type="button" className="button button-primary" data-testid="reprint-start" disabled={busy} onClick={() => setConfirming(true)}>
                  {busy ? t('maintenance.reprint.printing') : t('maintenance.reprint.start')}
                </button>
              ))}
          </div>
        </div>
      )}

      {found && refusal !== null && outcome?.kind !== 'refused' && (
        <p className="message message-bad" data-testid="reprint-refused" data-reason={refusal} role="alert">
          {t(`maintenance.reprint.refused.${refusal}`)}
        </p>
      )}
      {outcome && <ReprintOutcomeText outcome={outcome} label={found?.label ?? ''} />}
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
