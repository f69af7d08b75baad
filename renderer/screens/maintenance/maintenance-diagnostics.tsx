import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { byteSizeText } from '../../../core/kiosk/byte-size.ts';
import type { ReaderStatusReport } from '../../../core/attendance/fingerprint-reader-api.ts';
import type { SystemHealth } from '../../../core/kiosk/kiosk-api.ts';
import type { PrintResult, PrinterStatus } from '../../../core/printing/printing.ts';
import { testPageJob, testPagePreview } from '../../../core/printing/test-page.ts';
import { hallLocalTime } from '../../../core/calendar/business-day.ts';
import { useKioskServices } from '../../app/kiosk-services.ts';
import { PrinterStatusText } from '../../ui/status-bar.tsx';

type TestPrint = { phase: 'idle' } | { phase: 'printing' } | { phase: 'done'; result: PrintResult } | { phase: 'failed'; detail: string };

/** For staff and the hall's IT: is each part of this kiosk working, and what went wrong lately. */
export function MaintenanceDiagnostics({ printer, onPrinted }: { printer: PrinterStatus | null; onPrinted: () => void }) {
  const { t } = useTranslation();
  const { kiosk, config, clock } = useKioskServices();
  const [health, setHealth] = useState<SystemHealth | null>(null);
  const [reader, setReader] = useState<ReaderStatusReport | 'absent' | null>(null);
  const [storage, setStorage] = useState<{ usage?: number; quota?: number } | null>(null);
  const [test, setTest] = useState<TestPrint>({ phase: 'idle' });

  const reload = useCallback(async () => {
    const [h, r, s] = await Promise.all([
      kiosk.system.health().catch((error: unknown) => {
        console.error('health failed', error);
        return null;
      }),
      kiosk.reader.status().catch(() => 'absent' as const),
      navigator.storage?.estimate ? navigator.storage.estimate().catch(() => null) : Promise.resolve(null),
    ]);
    setHealth(h);
    setReader(r);
    setStorage(s);
  }, [kiosk]);

  useEffect(() => {
    void reload();
    return kiosk.events.subscribe((event) => {
      if (event.type === 'reader-status') setReader(event.status);
    });
  }, [kiosk, reload]);

  const { day, time } = hallLocalTime(clock.now(), config.hall.timeZone);
  const preview = testPagePreview(
    testPageJob({ hallName: config.hall.name, kioskId: config.kioskId, printerAddress: config.printer.address, paperWidth: config.printer.paperWidth, timeText: `${day} ${time}` }),
  );

  const testPrint = async (): Promise<void> => {
    setTest({ phase: 'printing' });
    try {
      setTest({ phase: 'done', result: await kiosk.printer.testPrint() });
    } catch (error) {
      setTest({ phase: 'failed', detail: error instanceof Error ? error.message : String(error) });
    } finally {
      onPrinted();
    }
  };

  const versions = health ? [`${health.versions.app}`, `node ${health.versions.node}`, health.versions.electron ? `electron ${health.versions.electron}` : '', health.versions.chrome ? `chrome ${health.versions.chrome}` : ''].filter(Boolean).join(' · ') : '—';

  return (
    <section className="maintenance-panel" data-testid="maintenance-diagnostics">
      <div className="preview-head">
        <h2 className="group-title">{t('maintenance.diagnosticsTitle')}</h2>
        <button type="button" className="button button-secondary" data-testid="diagnostics-refresh" onClick={() => void reload()}>
          {t('maintenance.refresh')}
        </button>
      </div>
      <ul className="sync-facts">
        <li>
          {t('maintenance.printer')}
          <PrinterStatusText status={printer} testId="maintenance-printer-status" />
        </li>
        <li data-testid="maintenance-paper" className={printer?.paperNearEnd ? 'warning' : undefined}>
          {printer?.paperNearEnd ? t('maintenance.paperNearEnd') : t('maintenance.paperOk')}
        </li>
        <li data-testid="maintenance-reader" data-state={reader === null ? 'unknown' : reader === 'absent' ? 'absent' : reader.state}>
          {reader === 'absent' ? t('maintenance.readerAbsent') : `${t('maintenance.reader')}${reader ? t(reader.state === 'connected' ? 'maintenance.readerConnected' : 'maintenance.readerDisconnected') : '—'}`}
        </li>
        <li data-testid="maintenance-kiosk-id">{t('maintenance.kioskId', { id: config.kioskId })}</li>
        <li data-testid="maintenance-versions">{t('maintenance.versions', { versions })}</li>
        {health && <li>{t('maintenance.uptime', { minutes: Math.floor(health.uptimeSeconds / 60) })}</li>}
        {health?.disk && <li data-testid="maintenance-disk">{t('maintenance.disk', { free: byteSizeText(health.disk.freeBytes), total: byteSizeText(health.disk.totalBytes) })}</li>}
        {storage?.usage !== undefined && storage.quota !== undefined && (
          <li data-testid="maintenance-storage">{t('maintenance.storage', { used: byteSizeText(storage.usage), quota: byteSizeText(storage.quota) })}</li>
        )}
      </ul>

      <h3 className="group-title">{t('maintenance.recentErrorsTitle')}</h3>
      <ul className="recent-errors" data-testid="maintenance-recent-errors">
        {health && health.recentErrors.length === 0 && <li>{t('maintenance.noRecentErrors')}</li>}
        {health?.recentErrors.map((e, i) => (
          <li key={`${e.at}-${i}`} className={e.level === 'warn' ? undefined : 'warning'}>
            {hallLocalTime(e.at, config.hall.timeZone).time} · {e.message}
          </li>
        ))}
      </ul>

      <h3 className="group-title">{t('maintenance.testPreviewTitle')}</h3>
      <pre className="printer-preview" data-testid="test-page-preview">
        {preview}
      </pre>
      <button type="button" className="button button-primary" data-testid="test-print" disabled={test.phase === 'printing'} onClick={() => void testPrint()}>
        {test.phase === 'printing' ? t('maintenance.testPrinting') : t('maintenance.testPrint')}
      </button>
      {test.phase === 'done' && (
        <p className={`message ${test.result.outcome === 'printed' ? '' : 'message-bad'}`} data-testid="test-print-result" data-outcome={test.result.outcome} role="status">
          {test.result.outcome === 'printed' ? t('maintenance.testPrinted') : t('maintenance.testFailed', { reason: t(`failureReason.${test.result.outcome}`) })}
        </p>
      )}
      {test.phase === 'failed' && (
        <p className="message message-bad" data-testid="test-print-result" data-outcome="failed" role="alert">
          {t('maintenance.testFailed', { reason: test.detail })}
        </p>
      )}
    </section>
  );
}
