import { csrfInput } from './admin-intent.ts';
import { escapeHtml } from '../http/html.ts';

export type AdminPage = 'kiosks' | 'displays' | 'attendance' | 'calendar' | 'template-audit' | 'calling-report' | 'counter-audit';

const pages: readonly { page: AdminPage; href: string; label: string }[] = [
  { page: 'kiosks', href: '/admin/kiosks', label: '自助机状态' },
  { page: 'displays', href: '/admin/displays', label: '大厅屏状态' },
  { page: 'attendance', href: '/admin/attendance', label: '考勤通报' },
  { page: 'calendar', href: '/admin/hall-calendar', label: '大厅日历' },
  { page: 'template-audit', href: '/admin/template-audit', label: '指纹登记记录' },
  { page: 'calling-report', href: '/admin/calling-report', label: '叫号统计' },
  { page: 'counter-audit', href: '/admin/counter-audit', label: '叫号记录' },
];

/** The links between the hall office's pages; the page shown is named, not linked. */
export function adminNav(current: AdminPage): string {
  const items = pages.map(({ page, href, label }) => (page === current ? `<strong aria-current="page">${label}</strong>` : `<a href="${href}">${label}</a>`));
  return `<nav class="muted admin-nav">${items.join(' ')}</nav>`;
}

/** Logging out changes state too: the form carries the session's CSRF token like every other. */
export function logoutForm(adminUser: string, csrfToken: string, buttonClass?: string): string {
  const button = `<button type="submit"${buttonClass ? ` class="${buttonClass}"` : ''}>退出登录</button>`;
  return `<form method="post" action="/admin/logout">${csrfInput(csrfToken)}<p class="muted">已登录：${escapeHtml(adminUser)} ${button}</p></form>`;
}
