import type { PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';

const rows = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

interface PinyinKeyboardProps {
  onLetter: (letter: string) => void;
  onBackspace: () => void;
  onClear: () => void;
}

/**
 * Letters for pinyin and its initials, in the QWERTY order every pinyin input method uses, with
 * keys as large as a 1080-pixel row allows. Taps never move the focus, so a system IME on an
 * attached keyboard keeps its place in the search box.
 */
export function PinyinKeyboard({ onLetter, onBackspace, onClear }: PinyinKeyboardProps) {
  const { t } = useTranslation();
  const keep = (e: PointerEvent) => e.preventDefault();
  return (
    <div className="pinyin-keyboard" role="group" aria-label={t('search.keyboardLabel')} data-testid="pinyin-keyboard">
      {rows.map((row, i) => (
        <div key={row} className={`key-row key-row-${i}`}>
          {Array.from(row).map((letter) => (
            <button key={letter} type="button" className="button key-letter" data-testid={`key-${letter}`} onPointerDown={keep} onClick={() => onLetter(letter)}>
              {letter}
            </button>
          ))}
          {i === 2 && (
            <button type="button" className="button button-secondary key-wide" data-testid="key-backspace" onPointerDown={keep} onClick={onBackspace}>
              {t('search.backspace')}
            </button>
          )}
        </div>
      ))}
      <div className="key-row">
        <button type="button" className="button button-secondary key-clear" data-testid="key-clear" onPointerDown={keep} onClick={onClear}>
          {t('search.clear')}
        </button>
      </div>
    </div>
  );
}
