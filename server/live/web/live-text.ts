/**
 * What the live ticket page says, in the ticket's language (the citizen's at the kiosk). The wait
 * estimate's words are core's (core/queue/wait-estimate.ts), as on the kiosk and the paper.
 */
export const zh = {
  title: '电子号票',
  number: '您的号码',
  service: '办理事项',
  waiting: {
    ahead: '前面还有{{count}}人',
    listen: '请留意大厅叫号，本页会自动更新',
  },
  called: {
    go: '请到{{number}}号窗口',
    name: '{{name}}',
    hint: '正在叫您的号，请尽快前往',
  },
  serving: { status: '办理中', where: '{{number}}号窗口' },
  suspended: { status: '已挂起', hint: '请在附近等候{{number}}号窗口回呼' },
  done: { status: '已办结', hint: '感谢您的耐心等候' },
  noShow: { status: '已过号', hint: '如需继续办理，请咨询大厅工作人员' },
  voided: { status: '此号票已作废', hint: '如有疑问，请咨询大厅工作人员' },
  notQueued: { status: '尚未进入排队', hint: '此号票未打印成功。请向工作人员出示本页，补打后即进入排队，本页随后自动更新' },
  past: '这是{{day}}的号票，已过期',
  notFound: {
    heading: '找不到此号票',
    hint: '请检查二维码是否完整；如刚取号，请稍后刷新本页。如有疑问，请咨询大厅工作人员。',
  },
  loading: '正在读取号票…',
  offline: '暂时无法连接大厅服务器，正在重试；以上信息可能不是最新的',
  live: '本页自动更新 · {{time}}',
  privacy: '本页不含个人信息',
  language: 'English',
};

export type LiveText = typeof zh;
/** The same keys as the Chinese, every leaf a string. */
type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

export const en: Shape<LiveText> = {
  title: 'Live ticket',
  number: 'Your number',
  service: 'Service',
  waiting: {
    ahead: 'People ahead of you: {{count}}',
    listen: 'Please listen for your number; this page updates by itself',
  },
  called: {
    go: 'Please go to counter {{number}}',
    name: '{{name}}',
    hint: 'Your number is being called: please go now',
  },
  serving: { status: 'Being served', where: 'Counter {{number}}' },
  suspended: { status: 'On hold', hint: 'Please wait nearby: counter {{number}} will call you back' },
  done: { status: 'Finished', hint: 'Thank you for waiting' },
  noShow: { status: 'Missed', hint: 'To carry on, please ask a member of staff' },
  voided: { status: 'This ticket was cancelled', hint: 'Please ask a member of staff' },
  notQueued: { status: 'Not in the queue yet', hint: 'This ticket did not print. Show this page to a member of staff: once they reprint it, it joins the queue and this page follows' },
  past: 'This ticket was for {{day}} and has expired',
  notFound: {
    heading: 'Ticket not found',
    hint: 'Check that the QR code is whole; if you took the number just now, reload this page shortly. Staff in the hall can help.',
  },
  loading: 'Reading your ticket…',
  offline: 'Cannot reach the hall server right now, retrying; what you see may be out of date',
  live: 'Updates by itself · {{time}}',
  privacy: 'This page holds no personal data',
  language: '中文',
};
