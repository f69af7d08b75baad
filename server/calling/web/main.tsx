import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { createWebI18n, htmlLang, storedLanguage } from '../../web/i18n.ts';
import { CounterApp } from './counter-app.tsx';
import { browserStorage } from './counter-session.ts';
import { en, zh } from './counter-text.ts';
import '../../web/base.css';
import './counter.css';

const language = storedLanguage(browserStorage('local'), 'counter');
document.documentElement.lang = htmlLang(language);
const i18n = createWebI18n({ zh, en }, language);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <CounterApp />
    </I18nextProvider>
  </StrictMode>,
);
