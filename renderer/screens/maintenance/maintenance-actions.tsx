import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { byteSizeText } from '../../../core/kiosk/byte-size.ts';
import { useKioskServices } from '../../app/kiosk-services.ts';

type Message = { testId: string; bad: boolean; text: string } | null;

/** Carry the logs away on a USB stick; leave kiosk mode to reach the desktop. */
export function MaintenanceActions() {
  const { t } = useTranslation();
  const { kiosk } = useKioskServices();
  const [busy, setBusy] = useState<'export' | 'exit' | null>(null);
  const [message, setMessage] = useState<Message>(null);

  const run = async (which: 'export' | 'exit', action: () => Promise<Message>): Promise<void> => {
    if (busy) return;
    setBusy(which);
    setMessage(null);
    try {
      setMessage(await action());
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      setMessage({ testId: `${which}-outcome`, bad: true, text: which === 'export' ? t('maintenance.exportFailed', { detail }) : t('maintenance.exitNotPossible', { detail }) });
    } finally {
      setBusy(null);
    }
  };

  const exportLogs = () =>
    run('export', async () => {
      const { file, bytes } = await kiosk.logs.export();
      return { testId: 'export-outcome', bad: false, text: t('maintenance.exported', { file, size: byteSizeText(bytes) }) };
    });

  const exitKiosk = () =>
    run('exit', async () => {
      const { exited, message: detail } = await kiosk.system.exitKiosk();
      return { testId: 'exit-outcome', bad: !exited, text: exited ? t('maintenance.exitedKiosk') : t('maintenance.exitNotPossible', { detail }) };
    });

  return (
    <section className="maintenance-panel" data-testid="maintenance-actions">
      <h2 className="group-title">{t('maintenance.actionsTitle')}</h2>
      <p className="config-hint">{t('maintenance.exportHint')}</p>
      <div className="unprinted-actions">
        <button type="button" className="button button-secondary" data-testid="export-logs" disabled={busy !== null} onClick={() => void exportLogs()}>
          {busy === 'export' ? t('maintenance.exporting') : t('maintenance.exportLogs')}
        </button>
        <button type="button" className="button button-danger" data-testid="exit-kiosk" disabled={busy !== null} onClick={() => void exitKiosk()}>
          {t('maintenance.exitKiosk')}
        </button>
      </div>
      {message && (
        <p className={`message ${message.bad ? 'message-bad' : ''}`} data-testid={message.testId} role={message.bad ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      <p className="config-hint">{t('maintenance.fingerprintEntry')}</p>
    </section>
  );
}
