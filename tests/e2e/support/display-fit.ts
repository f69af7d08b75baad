import { expect, type Page } from '@playwright/test';

/**
 * A hall screen has nothing to press, only things to read: every part the page marks with a
 * data-testid is inside the viewport, not clipped by its own box (text wider or taller than the
 * box), and not covered by another part (at its centre the page finds the part itself).
 */
export async function expectDisplayFits(page: Page, where: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const problems = await page.evaluate(() => {
    const found: string[] = [];
    const w = window.innerWidth;
    const h = window.innerHeight;
    for (const el of document.querySelectorAll<HTMLElement>('[data-testid]')) {
      const id = el.dataset.testid!;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.left < -1 || r.top < -1 || r.right > w + 1 || r.bottom > h + 1) found.push(`${id}: off the screen (${Math.round(r.left)},${Math.round(r.top)})-(${Math.round(r.right)},${Math.round(r.bottom)})`);
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) found.push(`${id}: its content is cut off (${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight})`);
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (hit && hit !== el && !el.contains(hit) && !hit.contains(el)) found.push(`${id}: covered by ${hit.tagName.toLowerCase()}.${hit.className}`);
    }
    return found;
  });
  expect(problems, `${where}: every part of the screen is on it, whole and uncovered`).toEqual([]);
}

/** The height of the called number's glyph box as a share of the screen's height. */
export async function numberHeightShare(page: Page, testId: string): Promise<number> {
  return page.getByTestId(testId).evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return range.getBoundingClientRect().height / window.innerHeight;
  });
}
