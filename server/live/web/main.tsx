import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { createWebI18n } from '../../web/i18n.ts';
import { LiveTicketApp } from './live-ticket-app.tsx';
import { tokenOfPath } from './live-model.ts';
import { en, zh } from './live-text.ts';
import '../../web/base.css';
import './live.css';

// Chinese until the ticket says which language its citizen chose at the kiosk.
const i18n = createWebI18n({ zh, en }, 'zh');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <LiveTicketApp token={tokenOfPath(window.location.pathname)} />
    </I18nextProvider>
  </StrictMode>,
);
