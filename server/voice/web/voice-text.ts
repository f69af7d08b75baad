/** What the voice check page (语音试听) says, Chinese first. */
export const zh = {
  title: '语音试听',
  intro: '在大厅的显示屏电脑上试听叫号语音：先听到提示音，再听到两遍叫号。',
  ticket: '号码',
  window: '窗口号',
  play: '播放',
  engine: {
    label: '语音引擎',
    auto: '自动（本机中文语音优先）',
    speech: '本机中文语音',
    clips: '录音片段',
  },
  nextEngine: '下一次播报使用：{{engine}}',
  log: '播报记录',
  played: '{{text}} — 已播完（{{engine}}）',
  failed: '{{text}} — 播放失败：{{error}}',
  invalid: '无法播报：{{error}}',
};

export const en: typeof zh = {
  title: 'Voice check',
  intro: "Listen to the call announcement on a display's PC: a chime, then the call twice.",
  ticket: 'Number',
  window: 'Window',
  play: 'Play',
  engine: {
    label: 'Voice engine',
    auto: "Automatic (this machine's Chinese voice first)",
    speech: "This machine's Chinese voice",
    clips: 'Recorded clips',
  },
  nextEngine: 'The next announcement uses: {{engine}}',
  log: 'Announcements',
  played: '{{text}} — played ({{engine}})',
  failed: '{{text}} — failed: {{error}}',
  invalid: 'Cannot announce: {{error}}',
};
