import type { PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';

const digits = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];
const letters = Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZ');

interface TicketNumberKeypadProps {
  onKey: (key: string) => void;
  onDelete: () => void;
  onClear: () => void;
}

/**
 * Digits and capital letters for typing a ticket number such as A012 on the touch screen. Taps
 * never move the focus, so a keyboard attached for maintenance keeps typing into the field.
 */
export function TicketNumberKeypad({ onKey, onDelete, onClear }: TicketNumberKeypadProps) {
  const { t } = useTranslation();
  const keep = (e: PointerEvent) => e.preventDefault();
  return (
    <div className="number-keypad" role="group" aria-label={t('maintenance.reprint.keypadLabel')} data-testid="reprint-keypad">
      {[...digits, ...letters].map((key) => (
        <button key={key} type="button" className="button button-secondary number-key" data-testid={`reprint-key-${key}`} onPointerDown={keep} onClick={() => onKey(key)}>
          {key}
        </button>
      ))}
      <button type="button" className="button button-secondary number-key number-key-wide" data-testid="reprint-key-delete" onPointerDown={keep} onClick={onDelete}>
        {t('maintenance.reprint.delete')}
      </button>
      <button type="button" className="button button-secondary number-key number-key-wide" data-testid="reprint-key-clear" onPointerDown={keep} onClick={onClear}>
        {t('maintenance.reprint.clear')}
      </button>
    </div>
  );
}
