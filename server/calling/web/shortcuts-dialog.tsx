import { useEffect, useState } from 'react';
import { useWebText } from '../../web/i18n.ts';
import type { CounterText } from './counter-text.ts';
import type { Keymap, ShortcutAction } from './shortcuts.ts';
import { defaultKeymap, isBindableKey, keyLabel, rebind, shortcutActions } from './shortcuts.ts';

/** 快捷键设置: click an action, press its key (a keypad's key too); kept by this browser. */
export function ShortcutsDialog({ keymap, onChange, onClose }: { keymap: Keymap; onChange: (keymap: Keymap) => void; onClose: () => void }) {
  const { t } = useWebText<CounterText>();
  const [capturing, setCapturing] = useState<ShortcutAction | null>(null);

  useEffect(() => {
    if (capturing === null) return undefined;
    const onKey = (event: KeyboardEvent) => {
      event.preventDefault();
      event.stopPropagation();
      if (event.key === 'Escape') return setCapturing(null);
      if (event.key === 'Backspace' || event.key === 'Delete') {
        onChange(rebind(keymap, capturing, null));
        return setCapturing(null);
      }
      if (!isBindableKey(event.key)) return;
      onChange(rebind(keymap, capturing, event.key));
      setCapturing(null);
    };
    // Capturing phase: the key is the setting's, not a press of the desk.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [capturing, keymap, onChange]);

  return (
    <div className="dialog-backdrop" role="presentation">
      <div className="dialog shortcuts-dialog" role="dialog" aria-modal="true" aria-labelledby="shortcuts-heading" data-testid="shortcuts-dialog">
        <h2 id="shortcuts-heading">{t('shortcuts.heading')}</h2>
        <p className="muted">{t('shortcuts.hint')}</p>
        <div className="shortcut-grid">
          {shortcutActions.map((action) => (
            <button key={action} type="button" data-testid={`bind-${action}`} aria-pressed={capturing === action} onClick={() => setCapturing(action)}>
              <span>{t(`action.${action}`)}</span>
              <kbd>{capturing === action ? t('shortcuts.press') : keymap[action] ? keyLabel(keymap[action]) : t('shortcuts.none')}</kbd>
            </button>
          ))}
        </div>
        <div className="dialog-buttons">
          <button type="button" data-testid="shortcuts-reset" onClick={() => onChange(defaultKeymap)}>
            {t('shortcuts.reset')}
          </button>
          <button type="button" className="primary" data-testid="shortcuts-close" onClick={onClose}>
            {t('shortcuts.close')}
          </button>
        </div>
      </div>
    </div>
  );
}
