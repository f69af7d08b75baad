import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { createWebI18n, htmlLang, storedLanguage } from '../../web/i18n.ts';
import { VoiceCheck } from './voice-check.tsx';
import { en, zh } from './voice-text.ts';
import '../../web/base.css';
import './voice-check.css';

const language = storedLanguage(typeof localStorage === 'undefined' ? null : localStorage, 'voice');
document.documentElement.lang = htmlLang(language);
const i18n = createWebI18n({ zh, en }, language);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <VoiceCheck />
    </I18nextProvider>
  </StrictMode>,
);
