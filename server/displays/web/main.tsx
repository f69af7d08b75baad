import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { DisplayApp } from './display-app.tsx';
import { silentSpeaker } from './announcement-queue.ts';
import { createSpeaker } from '../../web/voice/speaker.ts';
import '../../web/base.css';
import './display.css';

/**
 * Every announcement of this screen goes through this one function, one at a time
 * (announcement-queue.ts): the hall's voice (server/web/voice/speaker.ts — a local Chinese speech
 * voice, else the clip voice). A screen without speakers, such as a 窗口屏 above its counter, is
 * opened with `?silent`: it shows every call and says nothing, taking as long as saying it would.
 */
const speak = new URLSearchParams(window.location.search).has('silent') ? silentSpeaker(1_500) : createSpeaker().speak;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DisplayApp speak={speak} />
  </StrictMode>,
);
