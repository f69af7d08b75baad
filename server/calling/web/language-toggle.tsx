import { htmlLang, storeLanguage, useWebText } from '../../web/i18n.ts';
import { browserStorage } from './counter-session.ts';
import type { CounterText } from './counter-text.ts';

/** 中文 ⇄ English, remembered by this browser. */
export function LanguageToggle() {
  const { t, language, setLanguage } = useWebText<CounterText>();
  return (
    <button
      type="button"
      className="language-toggle"
      data-testid="lang-toggle"
      aria-label={t('languageLabel')}
      onClick={() => {
        const next = language === 'zh' ? 'en' : 'zh';
        storeLanguage(browserStorage('local'), 'counter', next);
        document.documentElement.lang = htmlLang(next);
        setLanguage(next);
      }}
    >
      {t('language')}
    </button>
  );
}
