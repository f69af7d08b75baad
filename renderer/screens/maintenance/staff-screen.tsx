import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PrinterStatus } from '../../../core/printing/printing.ts';
import type { Ticket } from '../../../core/ticket/ticket.ts';
import { hallMinuteText } from '../../hall-time.ts';
import { useLocalized } from '../../i18n/use-localized.ts';
import { printAndRecord } from '../../printing/print-and-record.ts';
import { mayHavePrinted, printFailureOf } from '../../printing/print-failure.ts';
import { buildTicketPrintJob } from '../../printing/ticket-print-job.ts';
import { voidTicket } from '../../tickets/void-ticket.ts';
import { useKioskServices } from '../../app/kiosk-services.ts';
import { PrinterStatusText } from '../../ui/status-bar.tsx';
import { MaintenanceActions } from './maintenance-actions.tsx';
import { MaintenanceConfig } from './maintenance-config.tsx';
import { MaintenanceDiagnostics } from './maintenance-diagnostics.tsx';
import { MaintenanceReprint } from './maintenance-reprint.tsx';
import { MaintenanceTickets } from './maintenance-tickets.tsx';
import { StaffFingerprintPanel } from './staff-fingerprint-panel.tsx';
import { SyncPanel } from './sync-panel.tsx';

let pendingSignOut: ReturnType<typeof setTimeout> | undefined;

/** Recorded in the outbox, so it stays the same whatever language the screen shows. */
const staffVoidReason = 'staff';

interface StaffScreenProps {
  printer: PrinterStatus | null;
  onPrinted: () => void;
  onSignOut: () => void;
}

export function StaffScreen({ printer, onPrinted, onSignOut }: StaffScreenProps) {
  const { t } = useTranslation();
  const local = useLocalized();
  const { kiosk, issuer, catalog, config, sync, publicAddress } = useKioskServices();
  const [tickets, setTickets] = useState<Ticket[] | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const reloadTickets = useCallback(async () => {
    try {
      setTickets(await issuer.unprintedToday());
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    }
  }, [issuer]);

  const reloadPreview = useCallback(async () => {
    try {
      setPreview((await kiosk.printer.preview()).text);
    } catch (error) {
      console.error('printer preview failed', error);
      setPreview(null);
    }
  }, [kiosk]);

  useEffect(() => {
    void reloadTickets();
    void reloadPreview();
  }, [reloadTickets, reloadPreview]);

  // However staff leave this screen (sign-out, idle, home), the privileged side's session ends
  // too. Deferred one tick so React's development remount (StrictMode) does not end it.
  useEffect(() => {
    clearTimeout(pendingSignOut);
    return () => {
      pendingSignOut = setTimeout(() => {
        kiosk.staff.signOut().catch((error: unknown) => console.error('staff sign-out failed', error));
      }, 0);
    };
  }, [kiosk]);

  const act = async (ticket: Ticket, action: () => Promise<unknown>): Promise<void> => {
    if (busyId) return;
    setBusyId(ticket.id);
    setFailure(null);
    try {
      await action();
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setBusyId(null);
      sync.kick();
      await reloadTickets();
      await reloadPreview();
    }
  };

  const reprint = (ticket: Ticket) =>
    act(ticket, async () => {
      issuer.beginReprint(ticket.id);
      const service = catalog.services.find((s) => s.id === ticket.serviceId);
      const { result } = await printAndRecord(
        ticket,
        () => buildTicketPrintJob({ ticket, service, hallName: config.hall.name, timeZone: config.hall.timeZone, reprint: true, publicAddress: publicAddress() }),
        { printer: kiosk.printer, issuer },
      );
      onPrinted();
      if (result.outcome !== 'printed') setFailure(t(`printFailed.${result.outcome}`));
    });

  const voidUnprinted = (ticket: Ticket) => act(ticket, () => voidTicket(ticket, staffVoidReason, { issuer, printer: kiosk.printer }));

  return (
    <section className="screen screen-staff" data-testid="staff">
      <div className="staff-head">
        <h1 className="screen-title">{t('staff.title')}</h1>
        <button type="button" className="button button-secondary" data-testid="staff-logout" onClick={onSignOut}>
          {t('staff.logout')}
        </button>
      </div>

      <h2 className="group-title">
        {t('staff.unprintedTitle')} {tickets && tickets.length > 0 ? `· ${t('staff.unprintedCount', { count: tickets.length })}` : ''}
      </h2>
      {failure && (
        <p className="message message-bad" data-testid="staff-message" role="alert">
          {t('staff.actionFailed', { detail: failure })}
        </p>
      )}
      <ul className="unprinted-list" data-testid="staff-unprinted-list">
        {tickets?.length === 0 && <li className="message">{t('staff.noneUnprinted')}</li>}
        {tickets?.map((ticket) => {
          const cause = printFailureOf(ticket);
          const service = catalog.services.find((s) => s.id === ticket.serviceId);
          return (
            <li key={ticket.id} className="unprinted" data-testid={`unprinted-${ticket.id}`} data-label={ticket.label}>
              <div className="unprinted-facts">
                <span className="unprinted-label">{ticket.label}</span>
                <span>{service ? local(service.name) : ticket.serviceId}</span>
                <span>{t('staff.issuedAt', { time: hallMinuteText(ticket.issuedAt, config.hall.timeZone) })}</span>
                <span>{t('staff.attempts', { count: ticket.printAttempts })}</span>
                {cause && <span>{t('staff.reason', { reason: t(`failureReason.${cause}`) })}</span>}
                {mayHavePrinted(cause) && <span className="warning">{t('staff.mayHavePrinted')}</span>}
              </div>
              <div className="unprinted-actions">
                <button type="button" className="button button-primary" data-testid={`reprint-${ticket.id}`} disabled={busyId !== null} onClick={() => void reprint(ticket)}>
                  {busyId === ticket.id ? t('staff.reprinting') : t('staff.reprint')}
                </button>
                <button type="button" className="button button-danger" data-testid={`void-${ticket.id}`} disabled={busyId !== null} onClick={() => void voidUnprinted(ticket)}>
                  {t('staff.void')}
                </button>
              </div>
            </li>
          );
        })}
      </ul>

      <MaintenanceReprint onPrinted={onPrinted} />
      <MaintenanceTickets />
      <SyncPanel />
      <MaintenanceDiagnostics printer={printer} onPrinted={onPrinted} />
      <StaffFingerprintPanel />

      <h2 className="group-title">{t('staff.printerTitle')}</h2>
      <p>
        <PrinterStatusText status={printer} testId="staff-printer-status" />
      </p>
      <div className="preview-head">
        <h2 className="group-title">{t('staff.previewTitle')}</h2>
        <button type="button" className="button button-secondary" data-testid="preview-refresh" onClick={() => void reloadPreview()}>
          {t('staff.refresh')}
        </button>
      </div>
      <pre className="printer-preview" data-testid="printer-preview">
        {preview ?? t('staff.previewEmpty')}
      </pre>

      <MaintenanceConfig />
      <MaintenanceActions />
    </section>
  );
}
