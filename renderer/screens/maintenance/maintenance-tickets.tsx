import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../../core/ticket/ticket.ts';
import { hallMinuteText } from '../../hall-time.ts';
import { useLocalized } from '../../i18n/use-localized.ts';
import { useKioskServices } from '../../app/kiosk-services.ts';
import { voidTicket } from '../../tickets/void-ticket.ts';

/** Recorded in the outbox, so it stays the same whatever language the screen shows. */
const issuedVoidReason = 'staff: issued ticket voided';

/**
 * Today's printed tickets, for voiding one a citizen took by mistake or handed back, so it no
 * longer counts in 前面还有N人. Two taps: voiding cannot be undone.
 */
export function MaintenanceTickets() {
  const { t } = useTranslation();
  const local = useLocalized();
  const { kiosk, issuer, catalog, config, sync } = useKioskServices();
  const [tickets, setTickets] = useState<Ticket[] | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      setTickets(await issuer.issuedToday());
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    }
  }, [issuer]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const voidIssued = async (ticket: Ticket): Promise<void> => {
    setFailure(null);
    try {
      await voidTicket(ticket, issuedVoidReason, { issuer, printer: kiosk.printer });
      sync.kick();
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setConfirming(null);
      await reload();
    }
  };

  return (
    <section className="maintenance-panel" data-testid="maintenance-tickets">
      <h2 className="group-title">{t('maintenance.issuedTitle')}</h2>
      {failure && (
        <p className="message message-bad" role="alert">
          {t('staff.actionFailed', { detail: failure })}
        </p>
      )}
      <ul className="unprinted-list" data-testid="issued-list">
        {tickets?.length === 0 && <li className="message">{t('maintenance.noneIssued')}</li>}
        {tickets?.map((ticket) => {
          const service = catalog.services.find((s) => s.id === ticket.serviceId);
          return (
            <li key={ticket.id} className="unprinted" data-testid={`issued-${ticket.id}`} data-label={ticket.label}>
              <div className="unprinted-facts">
                <span className="unprinted-label">{ticket.label}</span>
                <span>{service ? local(service.name) : ticket.serviceId}</span>
                <span>{t('staff.issuedAt', { time: hallMinuteText(ticket.issuedAt, config.hall.timeZone) })}</span>
              </div>
              <div className="unprinted-actions">
                {confirming === ticket.id ? (
                  <>
                    <button type="button" className="button button-danger" data-testid={`void-issued-confirm-${ticket.id}`} onClick={() => void voidIssued(ticket)}>
                      {t('maintenance.voidConfirm', { label: ticket.label })}
                    </button>
                    <button type="button" className="button button-secondary" onClick={() => setConfirming(null)}>
                      {t('maintenance.voidCancel')}
                    </button>
                  </>
                ) : (
                  <button type="button" className="button button-danger" data-testid={`void-issued-${ticket.id}`} onClick={() => setConfirming(ticket.id)}>
                    {t('staff.void')}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
