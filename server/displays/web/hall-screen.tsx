import { fill, displayText as t } from './display-text.ts';
import type { ScreenProps } from './screen-parts.tsx';
import { Clock, OfflineBanner } from './screen-parts.tsx';

/** 综合屏: the latest call large, the calls before it, waiting counts, the hall's name and clock, the notice line. */
export function HallScreen({ state, online, serverNow, speaking }: ScreenProps) {
  const calls = state.recentCalls.flatMap((e) => (e.kind === 'call' ? [e] : []));
  const latest = calls.at(-1) ?? null;
  const earlier = calls.slice(0, -1).reverse();
  return (
    <div className="hall-screen">
      <header className="display-header">
        <h1 className="display-hall-name" data-testid="display-hall-name">
          {state.hallName}
        </h1>
        <Clock serverNow={serverNow} />
      </header>
      <OfflineBanner online={online} />
      <main className="hall-main">
        <section className="hall-latest" data-testid="display-latest" data-speaking={String(latest !== null && speaking === String(latest.id))}>
          {latest ? (
            <>
              <div className="hall-latest-please">
                {t.latestCall.zh} <span className="en">{t.latestCall.en}</span>
              </div>
              <div className="hall-latest-number" data-testid="display-latest-number">
                {latest.data.label}
              </div>
              <div className="hall-latest-window" data-testid="display-latest-window">
                {fill(t.toWindow.zh, { window: latest.data.window })}
                <span className="en">{fill(t.toWindow.en, { window: latest.data.window })}</span>
              </div>
            </>
          ) : (
            <div className="hall-latest-none">
              {t.noCalls.zh} <span className="en">{t.noCalls.en}</span>
            </div>
          )}
        </section>
        <section className="hall-recent">
          <h2>
            {t.recentCalls.zh} <span className="en">{t.recentCalls.en}</span>
          </h2>
          <ol data-testid="display-recent">
            {earlier.map((call) => (
              <li key={call.id} data-testid="display-recent-call">
                <span className="recent-number">{call.data.label}</span>
                <span className="recent-window">{fill(t.window.zh, { window: call.data.window })}</span>
              </li>
            ))}
          </ol>
        </section>
      </main>
      <section className="hall-waiting">
        <h2>
          {t.waiting.zh} <span className="en">{t.waiting.en}</span>
        </h2>
        <ul data-testid="display-waiting">
          {state.queues.map((q) => (
            <li key={q.serviceId} data-testid="display-waiting-service" data-service={q.serviceId}>
              <span className="waiting-name">{q.name.zh}</span>
              <span className="waiting-count">{q.waiting}</span>
            </li>
          ))}
        </ul>
      </section>
      <footer className="display-notice" data-testid="display-notice">
        {state.notice}
      </footer>
    </div>
  );
}
