import { expect, type Page } from '@playwright/test';

/**
 * What a person must be able to see and press on a kiosk screen: every control, and every
 * countdown (`data-countdown`) that says how long before the kiosk moves on.
 */
const mustShow = 'button, input, select, textarea, a[href], [role="button"], [data-countdown]';

export interface ScreenFitOptions {
  /**
   * The screen area itself scrolls (the staff screen's long maintenance page): each element is
   * checked once scrolled into view. Citizens' screens never scroll; their long lists page.
   */
  scrolls?: boolean;
}

/**
 * Asserts that nothing the person must see or press is covered or off the viewport: at the
 * centre and the four corners of each such element, `elementFromPoint` finds the element itself
 * (or something inside it). A list inside a pager (`.pager-body`) is reached by paging: its
 * items are not checked one by one, but the pager's window onto them is, like any control.
 * `where` names the screen in the failure message.
 */
export async function expectScreenFits(page: Page, where: string, options: ScreenFitOptions = {}): Promise<void> {
  expect(await screenFitProblems(page, options), `${where}: everything to see and press is on the screen and uncovered`).toEqual([]);
}

/** What `expectScreenFits` would complain of, for a walk that reports every screen at once. */
export async function screenFitProblems(page: Page, options: ScreenFitOptions = {}): Promise<string[]> {
  // The just-shown screen's tap shield (double-tap.tsx) lifts, and fonts and layout settle, before anything is measured.
  await page.getByTestId('tap-shield').waitFor({ state: 'hidden' });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  return page.evaluate(
    ({ selector, scrolls }) => {
      const found: string[] = [];
      const describe = (el: Element): string => {
        const id = el.getAttribute('data-testid');
        const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 30);
        return `${el.tagName.toLowerCase()}${id ? `[${id}]` : ''}${text ? ` "${text}"` : ''}`;
      };
      const shown = (el: Element): boolean => {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) return false;
        const style = getComputedStyle(el);
        return style.visibility !== 'hidden' && style.display !== 'none';
      };
      const check = (el: Element): void => {
        if (scrolls) el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
        const r = el.getBoundingClientRect();
        // Hit testing follows rounded corners: a corner point sits just inside the curve.
        const radius = Math.min(r.width, r.height) / 2;
        const rounded = Math.min(radius, parseFloat(getComputedStyle(el).borderTopLeftRadius) || 0);
        const inset = Math.min(Math.ceil(rounded * 0.3) + 3, r.width / 4, r.height / 4);
        const points: [string, number, number][] = [
          ['centre', r.left + r.width / 2, r.top + r.height / 2],
          ['top left', r.left + inset, r.top + inset],
          ['top right', r.right - inset, r.top + inset],
          ['bottom left', r.left + inset, r.bottom - inset],
          ['bottom right', r.right - inset, r.bottom - inset],
        ];
        for (const [corner, x, y] of points) {
          if (x < 0 || y < 0 || x > window.innerWidth || y > window.innerHeight) {
            found.push(`${describe(el)}: ${corner} (${Math.round(x)}, ${Math.round(y)}) is off the ${window.innerWidth}×${window.innerHeight} screen`);
            return;
          }
          const hit = document.elementFromPoint(x, y);
          if (!hit || (hit !== el && !el.contains(hit))) {
            found.push(`${describe(el)}: ${corner} (${Math.round(x)}, ${Math.round(y)}) is covered by ${hit ? describe(hit) : 'nothing'}`);
            return;
          }
        }
      };
      for (const el of document.querySelectorAll(selector)) {
        if (!shown(el) || el.closest('.pager-body')) continue;
        check(el);
      }
      for (const body of document.querySelectorAll('.pager-body')) if (shown(body)) check(body);
      return found;
    },
    { selector: mustShow, scrolls: options.scrolls ?? false },
  );
}
