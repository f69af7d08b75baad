import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { DisplayApp } from './display-app.tsx';
import { silentSpeaker } from './announcement-queue.ts';
import '../../web/base.css';
import './display.css';

/**
 * THE SPEAKER: every announcement of this screen goes through this one function, one at a time
 * (announcement-queue.ts). Until the voice engine (server/web/voice/, branch `voice`) is merged,
 * a silent speaker stands in that takes as long as an announcement would.
 */
const speak = silentSpeaker(1_500);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DisplayApp speak={speak} />
  </StrictMode>,
);
