import type { ReactNode } from 'react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** An item taller than the page is read in steps that keep a few lines of the one before. */
const pageFraction = 0.85;

/**
 * What a page never cuts at its top: a service card, a choice, a material, a guide section, a
 * list entry. Mark anything else with `data-page-item`.
 */
const pageItems = '.service-row, .button-choice, .material-card, .guide-section, li, [data-page-item]';

/** Where the page after the one starting at `top` starts: at the first item it cuts off. */
function nextPageTop(el: HTMLElement, tops: readonly { top: number; bottom: number }[], top: number): number {
  const bottom = top + el.clientHeight;
  // The last item that starts on this page but does not end on it; nested items (a card in a
  // section) make the innermost cut one win, so the section's other cards are not read twice.
  let cut: number | null = null;
  // An item starting in the page's first quarter is about as tall as the page: stepping to it
  // would hardly move, so it is read in steps instead.
  const from = top + el.clientHeight / 4;
  for (const item of tops) if (item.top > from && item.top < bottom - 1 && item.bottom > bottom + 1) cut = Math.max(cut ?? item.top, item.top);
  // Otherwise the first item that starts below this page.
  const below = tops.find((item) => item.top >= bottom - 1)?.top;
  const next = cut ?? below ?? top + el.clientHeight * pageFraction;
  return Math.min(next, el.scrollHeight - el.clientHeight);
}

/** The top of every page from the first, in scroll offsets of `el`. */
function pageTops(el: HTMLElement, content: HTMLElement): number[] {
  const max = Math.max(0, el.scrollHeight - el.clientHeight);
  const origin = content.getBoundingClientRect().top;
  const tops = Array.from(content.querySelectorAll(pageItems), (item) => {
    const r = item.getBoundingClientRect();
    return { top: r.top - origin, bottom: r.bottom - origin };
  }).sort((a, b) => a.top - b.top);
  const starts = [0];
  while (starts.at(-1)! < max - 1) {
    const last = starts.at(-1)!;
    // Always forward, however the items lie.
    starts.push(Math.max(nextPageTop(el, tops, last), Math.min(max, last + 1)));
  }
  return starts;
}

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
    if (!el || !content.current) return;
    const max = Math.max(0, el.scrollHeight - el.clientHeight);
    const tops = pageTops(el, content.current);
    const pages = tops.length;
    const atStart = el.scrollTop <= 1;
    const atEnd = el.scrollTop >= max - 1;
    const page = atEnd ? pages : Math.max(1, tops.filter((t) => t <= el.scrollTop + 1).length);
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
    if (!el || !content.current) return;
    // Whole pages, the same ones the position counts: the page before is the last that starts above this one.
    const tops = pageTops(el, content.current);
    const now = el.scrollTop;
    const target = direction === 1 ? (tops.find((t) => t > now + 1) ?? now) : (tops.filter((t) => t < now - 1).at(-1) ?? 0);
    el.scrollTo({ top: target });
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
