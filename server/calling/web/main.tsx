import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../../web/base.css';

// Placeholder until the counter app lands (the next commit): proves the build and the serving.
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <main data-testid="counter-app">窗口叫号</main>
  </StrictMode>,
);
