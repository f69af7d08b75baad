import type { LocalizedText } from '../../../core/text/localized.ts';

/**
 * What the screens say. A screen has no keyboard for a language switch and citizens of both
 * languages read it at once, so it shows Chinese large with English beneath.
 */
export const displayText = {
  latestCall: { zh: '请', en: 'Now calling' },
  toWindow: { zh: '号到{{window}}号窗口办理', en: 'please go to window {{window}}' },
  recentCalls: { zh: '最近叫号', en: 'Recent calls' },
  waiting: { zh: '等候人数', en: 'Waiting' },
  waitingUnit: { zh: '人', en: '' },
  noCalls: { zh: '暂无叫号', en: 'No calls yet' },
  window: { zh: '{{window}}号窗口', en: 'Window {{window}}' },
  staff: { zh: '工作人员', en: 'Staff' },
  staffId: { zh: '工号', en: 'No.' },
  nowServing: { zh: '当前号码', en: 'Now serving' },
  none: { zh: '—', en: '—' },
  paused: { zh: '暂停服务', en: 'Service paused' },
  closed: { zh: '窗口关闭', en: 'Window closed' },
  offline: { zh: '与服务器的连接已断开，正在重连…', en: 'Connection lost, reconnecting…' },
  enrolHeading: { zh: '叫号屏登记', en: 'Register this screen' },
  enrolCode: { zh: '登记码（由大厅管理员提供）', en: 'Enrolment code (from the hall office)' },
  enrolSubmit: { zh: '登记', en: 'Register' },
  enrolInvalid: { zh: '登记码无效、已使用或已过期', en: 'The code is unknown, used or expired' },
  enrolUnreachable: { zh: '无法连接服务器', en: 'Cannot reach the server' },
  loading: { zh: '正在载入…', en: 'Loading…' },
} as const satisfies Record<string, LocalizedText>;

export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key] ?? ''));
}
