import type { ReactNode } from 'react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Each page keeps the last lines of the one before, so a reader never loses their place. */
const pageFraction = 0.85;

interface PagerView {
  page: number;
  pages: number;
  atStart: boolean;
  atEnd: boolean;
}

interface PagerProps {
  children: ReactNode;
  testId: string;
  /** back to the top whenever this changes (new search results, another guide) */
  resetKey?: string;
}

/**
 * A long list for a touch screen and unsteady hands: big 上一页/下一页 buttons and the page
 * number instead of a thin scrollbar. A swipe still scrolls as usual.
 */
export function Pager({ children, testId, resetKey }: PagerProps) {
  const { t } = useTranslation();
  const body = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<PagerView>({ page: 1, pages: 1, atStart: true, atEnd: true });

  const measure = useCallback(() => {
    const el = body.current;
    if (!el) return;
    const step = Math.max(1, el.clientHeight * pageFraction);
    const max = Math.max(0, el.scrollHeight - el.clientHeight);
    const pages = max <= 1 ? 1 : 1 + Math.ceil(max / step);
    const atStart = el.scrollTop <= 1;
    const atEnd = el.scrollTop >= max - 1;
    const page = atEnd ? pages : Math.min(pages - 1, 1 + Math.round(el.scrollTop / step));
    setView((v) => (v.page === page && v.pages === pages && v.atStart === atStart && v.atEnd === atEnd ? v : { page, pages, atStart, atEnd }));
  }, []);

  useEffect(() => {
    const observer = new ResizeObserver(measure);
    if (body.current) observer.observe(body.current);
    if (content.current) observer.observe(content.current);
    return () => observer.disconnect();
  }, [measure]);

  useEffect(() => {
    body.current?.scrollTo({ top: 0 });
    measure();
  }, [resetKey, measure]);

  const turn = (direction: 1 | -1) => {
    const el = body.current;
    if (!el) return;
    el.scrollTo({ top: el.scrollTop + direction * el.clientHeight * pageFraction });
    measure();
  };

  return (
    <div className="pager" data-testid={testId} data-page={view.page} data-pages={view.pages}>
      <div className="pager-body" ref={body} onScroll={measure}>
        <div ref={content}>{children}</div>
      </div>
      {view.pages > 1 && (
        <div className="pager-controls">
          <button type="button" className="button button-secondary pager-button" data-testid={`${testId}-prev`} disabled={view.atStart} onClick={() => turn(-1)}>
            {t('pager.prev')}
          </button>
          <span className="pager-position" data-testid={`${testId}-position`}>
            {t('pager.position', { page: view.page, pages: view.pages })}
          </span>
          <button type="button" className="button button-secondary pager-button" data-testid={`${testId}-next`} disabled={view.atEnd} onClick={() => turn(1)}>
            {t('pager.next')}
          </button>
        </div>
      )}
    </div>
  );
}
