import { useTranslation } from 'react-i18next';
import { hallLocalTime } from '../../../core/calendar/business-day.ts';
import type { SyncStatus } from '../../sync/sync-status.ts';
import { useKioskServices } from '../../app/kiosk-services.ts';
import { connectionOf, useSyncStatus } from '../../hooks/use-sync-status.ts';

type Enrollment = 'standalone' | 'enrolled' | 'revoked' | 'token-rejected' | 'not-enrolled' | 'unknown';

function enrollmentOf(status: SyncStatus): Enrollment {
  const server = status.server;
  if (!server) return 'unknown';
  if (!server.configured) return 'standalone';
  if (server.revoked) return 'revoked';
  if (server.tokenRejected) return 'token-rejected';
  return server.enrolled ? 'enrolled' : 'not-enrolled';
}

const enrollmentText = {
  standalone: 'staff.syncStandalone',
  enrolled: 'staff.syncEnrolled',
  revoked: 'staff.syncRevoked',
  'token-rejected': 'staff.syncTokenRejected',
  'not-enrolled': 'staff.syncNotEnrolled',
  unknown: 'staff.syncNotEnrolled',
} as const;

/** For staff: is this kiosk's data reaching the hall server, and if not, why. */
export function SyncPanel() {
  const { t } = useTranslation();
  const { sync, config, kiosk } = useKioskServices();
  const status = useSyncStatus();
  const connection = connectionOf(status);
  const enrollment = enrollmentOf(status);
  const server = status.server;
  const at = (ms: number) => {
    const { day, time } = hallLocalTime(ms, config.hall.timeZone);
    return `${day} ${time}`;
  };
  const bad = enrollment === 'revoked' || enrollment === 'token-rejected' || enrollment === 'not-enrolled';
  return (
    <section className="sync-panel" data-testid="sync-panel" data-connection={connection} data-enrollment={enrollment} data-pending={status.pending}>
      <div className="preview-head">
        <h2 className="group-title">{t('staff.syncTitle')}</h2>
        {enrollment !== 'standalone' && (
          <button
            type="button"
            className="button button-secondary"
            data-testid="sync-now"
            onClick={() => {
              sync.kick();
              // The roster, templates and hall rules are the privileged side's own pull: it goes now too.
              void kiosk.server.pullNow().catch(() => undefined);
            }}
          >
            {t('staff.syncNow')}
          </button>
        )}
      </div>
      <ul className="sync-facts">
        <li data-testid="sync-enrollment" className={bad ? 'warning' : undefined} role={bad ? 'alert' : undefined}>
          {t(enrollmentText[enrollment])}
        </li>
        {server?.enrollmentError && enrollment !== 'enrolled' && <li className="warning">{t('staff.syncEnrollmentError', { detail: server.enrollmentError })}</li>}
        {enrollment !== 'standalone' && (
          <>
            <li data-testid="sync-connection">{t('staff.syncConnection', { state: t(`status.connection.${connection}`) })}</li>
            <li data-testid="sync-device-id">{server?.deviceId ? t('staff.syncDevice', { id: server.deviceId }) : t('staff.syncNoDevice')}</li>
            <li data-testid="sync-pending" data-count={status.pending}>
              {t('staff.syncPending', { count: status.pending })}
            </li>
            <li data-testid="sync-last-success">{status.lastSuccessAt === null ? t('staff.syncNever') : t('staff.syncLastSuccess', { time: at(status.lastSuccessAt) })}</li>
            <li data-testid="sync-last-error" className={status.lastError ? 'warning' : undefined}>
              {status.lastError ? t('staff.syncLastError', { detail: status.lastError }) : t('staff.syncNoError')}
            </li>
            {status.deadLettered > 0 && <li data-testid="sync-dead-lettered">{t('staff.syncDeadLettered', { count: status.deadLettered })}</li>}
          </>
        )}
      </ul>
    </section>
  );
}
