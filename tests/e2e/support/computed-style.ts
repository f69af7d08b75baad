import type { Locator } from '@playwright/test';

/** What the citizen sees of an element: its type size, its box, and its text against the background behind it. */
export interface Seen {
  fontSizePx: number;
  width: number;
  height: number;
  /** WCAG contrast ratio of the text colour on the nearest opaque background */
  contrast: number;
}

export function seen(locator: Locator): Promise<Seen> {
  return locator.evaluate((el) => {
    const rgb = (css: string) => {
      const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(css);
      return m ? { channels: [Number(m[1]), Number(m[2]), Number(m[3])], alpha: m[4] === undefined ? 1 : Number(m[4]) } : null;
    };
    const luminance = (channels: number[]) => {
      const [r, g, b] = channels.map((c) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    let background: number[] = [255, 255, 255];
    for (let node: Element | null = el; node; node = node.parentElement) {
      const bg = rgb(getComputedStyle(node).backgroundColor);
      if (bg && bg.alpha === 1) {
        background = bg.channels;
        break;
      }
    }
    const style = getComputedStyle(el);
    const [a, b] = [luminance(rgb(style.color)!.channels), luminance(background)];
    const box = el.getBoundingClientRect();
    return { fontSizePx: parseFloat(style.fontSize), width: box.width, height: box.height, contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) };
  });
}
