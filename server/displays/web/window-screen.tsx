import { fill, displayText as t } from './display-text.ts';
import type { ScreenProps } from './screen-parts.tsx';
import { Clock, OfflineBanner } from './screen-parts.tsx';

/** 窗口屏: the window, its department, who is on duty (name and 工号), the number served; 暂停服务 and 窗口关闭. */
export function WindowScreen({ state, online, serverNow }: ScreenProps) {
  const window = state.windows[0] ?? null;
  const number = state.display.window ?? 0;
  const closed = window === null || window.state === 'closed';
  const paused = window?.state === 'paused';
  return (
    <div className="window-screen" data-testid="window-screen" data-state={window?.state ?? 'closed'}>
      <header className="display-header">
        <div className="window-title">
          <span className="window-number" data-testid="window-number">
            {fill(t.window.zh, { window: number })}
          </span>
          {/* A window named only by its number (the default) is not named twice. */}
          {window && window.name !== fill(t.window.zh, { window: number }) ? (
            <span className="window-name" data-testid="window-name">
              {window.name}
            </span>
          ) : null}
        </div>
        <Clock serverNow={serverNow} />
      </header>
      <OfflineBanner online={online} />
      <div className="window-department" data-testid="window-department">
        {window ? `${window.department.zh} · ${window.department.en}` : ''}
      </div>
      {closed ? (
        <main className="window-status window-closed" data-testid="window-closed">
          {t.closed.zh}
          <span className="en">{t.closed.en}</span>
        </main>
      ) : paused ? (
        <main className="window-status window-paused" data-testid="window-paused">
          {t.paused.zh}
          <span className="en">{t.paused.en}</span>
          <span className="window-pause-reason" data-testid="window-pause-reason">
            {window.pauseReason ? `${window.pauseReason.zh} · ${window.pauseReason.en}` : ''}
          </span>
        </main>
      ) : (
        <main className="window-serving">
          <div className="window-serving-label">
            {t.nowServing.zh} <span className="en">{t.nowServing.en}</span>
          </div>
          <div className="window-serving-number" data-testid="window-serving">
            {window.label ?? t.none.zh}
          </div>
        </main>
      )}
      <footer className="window-staff" data-testid="window-staff">
        {window?.staff ? (
          <>
            <span>
              {t.staff.zh} {window.staff.name}
            </span>
            <span>
              {t.staffId.zh} {window.staff.staffId}
            </span>
          </>
        ) : null}
      </footer>
    </div>
  );
}
