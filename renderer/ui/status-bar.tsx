import { useTranslation } from 'react-i18next';
import type { PrinterStatus } from '../../core/printing/printing.ts';
import { hallMinuteText } from '../hall-time.ts';
import { useKioskServices } from '../app/kiosk-services.ts';
import { useNow } from '../hooks/use-now.ts';
import { connectionOf, useSyncStatus } from '../hooks/use-sync-status.ts';

export function PrinterStatusText({ status, testId }: { status: PrinterStatus | null; testId: string }) {
  const { t } = useTranslation();
  const state = status?.state ?? 'unknown';
  const healthy = state === 'ready';
  return (
    <span className={`pill ${healthy ? 'pill-ok' : 'pill-bad'}`} data-testid={testId} data-state={state} data-paper-near-end={status?.paperNearEnd ? 'true' : 'false'}>
      {t(`status.printer.${state}`)}
      {status?.paperNearEnd && healthy ? ` · ${t('status.paperNearEnd')}` : ''}
    </span>
  );
}

/** Display only: everything the citizen taps sits lower, within reach from a wheelchair. */
export function StatusBar({ printer }: { printer: PrinterStatus | null }) {
  const { t } = useTranslation();
  // The hall's clock, as the calendar reads it: the header never says 17:59 while the kiosk already serves after hours.
  const { hallClock, config } = useKioskServices();
  const now = useNow(hallClock, 1000);
  const sync = useSyncStatus();
  const connection = connectionOf(sync);
  return (
    <header className="status-bar" data-testid="status-bar">
      <span className="status-clock" data-testid="status-clock" aria-label={t('status.clockLabel')}>
        {hallMinuteText(now, config.hall.timeZone)}
      </span>
      <span className="status-pills">
        <span
          className={`pill ${connection === 'offline' ? 'pill-bad' : 'pill-ok'}`}
          data-testid="status-online"
          data-state={connection}
          data-pending={sync.pending}
        >
          {t(`status.connection.${connection}`)}
        </span>
        <PrinterStatusText status={printer} testId="status-printer" />
      </span>
    </header>
  );
}
