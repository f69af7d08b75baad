import { useState } from 'react';
import type { FormEvent } from 'react';
import type { PauseReason } from '../../../core/queue/calling-settings.ts';
import { useWebText } from '../../web/i18n.ts';
import type { CounterText } from './counter-text.ts';

/** 暂停: which of the hall's reasons (暂离, 会议, 外出送件 …), and a note if the clerk wants one. */
export function PauseDialog({ reasons, onPause, onCancel }: { reasons: readonly PauseReason[]; onPause: (reason: string, note: string | null) => void; onCancel: () => void }) {
  const { t, language } = useWebText<CounterText>();
  const [note, setNote] = useState('');
  return (
    <div className="dialog-backdrop" role="presentation">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="pause-heading" data-testid="pause-dialog">
        <h2 id="pause-heading">{t('pause.heading')}</h2>
        <div className="reason-grid">
          {reasons.map((reason) => (
            <button key={reason.code} type="button" className="primary" data-testid={`pause-${reason.code}`} onClick={() => onPause(reason.code, note.trim() || null)}>
              {reason.name[language]}
            </button>
          ))}
        </div>
        <label>
          {t('pause.note')}
          <input data-testid="pause-note" maxLength={200} value={note} onChange={(e) => setNote(e.target.value)} />
        </label>
        <div className="dialog-buttons">
          <button type="button" data-testid="pause-cancel" onClick={onCancel}>
            {t('pause.cancel')}
          </button>
        </div>
      </div>
    </div>
  );
}

/** 转移: to another service (its code), at any window serving it or at one window. */
export function TransferDialog({ services, onTransfer, onCancel }: { services: readonly string[]; onTransfer: (serviceId: string, window: number | null) => void; onCancel: () => void }) {
  const { t } = useWebText<CounterText>();
  const [serviceId, setServiceId] = useState('');
  const [windowText, setWindowText] = useState('');
  const [missing, setMissing] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!serviceId.trim()) return setMissing(true);
    const window = windowText ? Number(windowText) : null;
    onTransfer(serviceId.trim(), window !== null && window > 0 ? window : null);
  };
  return (
    <div className="dialog-backdrop" role="presentation">
      <form className="dialog" role="dialog" aria-modal="true" aria-labelledby="transfer-heading" data-testid="transfer-dialog" onSubmit={submit} noValidate>
        <h2 id="transfer-heading">{t('transfer.heading')}</h2>
        <label>
          {t('transfer.service')}
          <input data-testid="transfer-service" list="transfer-services" value={serviceId} onChange={(e) => setServiceId(e.target.value)} autoFocus />
          <datalist id="transfer-services">
            {services.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        </label>
        <label>
          {t('transfer.window')}
          <input data-testid="transfer-window" inputMode="numeric" value={windowText} onChange={(e) => setWindowText(e.target.value.replace(/\D/g, ''))} />
        </label>
        {missing && <p className="hall-message" role="alert">{t('transfer.missing')}</p>}
        <div className="dialog-buttons">
          <button type="button" data-testid="transfer-cancel" onClick={onCancel}>
            {t('transfer.cancel')}
          </button>
          <button type="submit" className="primary" data-testid="transfer-confirm">
            {t('transfer.confirm')}
          </button>
        </div>
      </form>
    </div>
  );
}
