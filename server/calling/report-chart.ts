import type { HourBucket } from '../../core/queue/calling-report.ts';
import { escapeHtml } from '../http/html.ts';

/**
 * 分时段等候: the wait by hour of the day as an SVG bar chart, drawn here so the admin page needs no
 * script. Bars are the average wait, a tick on each the p90; hours run from the first to the last
 * with a call (at least 8:00–18:00, the hall's day). Colours are presentation attributes, not
 * styles, so the page's Content-Security-Policy (one hashed style sheet) holds.
 */

const width = 760;
const height = 300;
const left = 56;
const right = 16;
const top = 24;
const bottom = 44;

/** A round step for the minute axis: 1, 2, 5, 10, 20, 30, 60 … */
function axisStep(max: number): number {
  for (const step of [1, 2, 5, 10, 15, 20, 30, 60, 120]) if (max / step <= 6) return step;
  return Math.ceil(max / 6 / 60) * 60;
}

const fixed = (n: number) => (Math.round(n * 10) / 10).toString();

export function waitByHourSvg(hours: readonly HourBucket[], title: string): string {
  const withCalls = hours.filter((h) => h.called > 0);
  const first = Math.min(8, ...withCalls.map((h) => h.hour));
  const last = Math.max(18, ...withCalls.map((h) => h.hour));
  const shown = hours.filter((h) => h.hour >= first && h.hour <= last);
  const maxMinutes = Math.max(1, ...withCalls.map((h) => (h.waitP90Ms ?? 0) / 60_000));
  const step = axisStep(maxMinutes);
  const axisTop = Math.ceil(maxMinutes / step) * step;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const slot = plotW / shown.length;
  const y = (minutes: number) => top + plotH - (minutes / axisTop) * plotH;
  const parts: string[] = [];
  for (let m = 0; m <= axisTop; m += step) {
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${fixed(y(m))}" y2="${fixed(y(m))}" stroke="#d0d7e1" stroke-width="1"/>`);
    parts.push(`<text x="${left - 6}" y="${fixed(y(m) + 4)}" text-anchor="end" font-size="12" fill="#333">${m}</text>`);
  }
  shown.forEach((h, i) => {
    const x = left + i * slot;
    parts.push(`<text x="${fixed(x + slot / 2)}" y="${height - bottom + 16}" text-anchor="middle" font-size="12" fill="#333">${h.hour}</text>`);
    if (h.waitAvgMs === null) return;
    const avg = h.waitAvgMs / 60_000;
    const barW = slot * 0.6;
    const label = `${String(h.hour).padStart(2, '0')}:00 平均等候 ${fixed(avg)} 分钟，P90 ${fixed((h.waitP90Ms ?? 0) / 60_000)} 分钟，${h.called} 人次`;
    parts.push(`<rect x="${fixed(x + (slot - barW) / 2)}" y="${fixed(y(avg))}" width="${fixed(barW)}" height="${fixed(y(0) - y(avg))}" fill="#0b4f9c"><title>${escapeHtml(label)}</title></rect>`);
    if (h.waitP90Ms !== null) {
      const p = y(h.waitP90Ms / 60_000);
      parts.push(`<line x1="${fixed(x + slot * 0.15)}" x2="${fixed(x + slot * 0.85)}" y1="${fixed(p)}" y2="${fixed(p)}" stroke="#c25400" stroke-width="3"/>`);
    }
  });
  parts.push(`<text x="${left + plotW / 2}" y="${height - 6}" text-anchor="middle" font-size="12" fill="#333">取号时段（时）；蓝柱：平均等候；橙线：P90</text>`);
  parts.push(`<text x="14" y="${top + plotH / 2}" text-anchor="middle" font-size="12" fill="#333" transform="rotate(-90 14 ${top + plotH / 2})">等候（分钟）</text>`);
  const empty = withCalls.length === 0 ? `<text x="${left + plotW / 2}" y="${top + plotH / 2}" text-anchor="middle" font-size="14" fill="#666">所选期间无叫号</text>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><title>${escapeHtml(title)}</title>${parts.join('')}${empty}</svg>`;
}
