import type { ReactNode } from 'react';
import { createContext, use, useCallback, useEffect, useMemo, useState } from 'react';
import './elder-mode.css';
import { bundledClipVoice, type ClipVoice } from './clip-voice.ts';
import { platformSpeaker, type Speaker } from './speaker.ts';

export interface ElderMode {
  on: boolean;
  /** as the hall set it for a new citizen (so an idle kiosk need not reset) */
  atDefault: boolean;
  toggle(): void;
  /** back to the hall's default, for the next citizen */
  reset(): void;
  speaker: Speaker;
  /** the clip voice, for the ticket number where the platform has no Chinese voice; null where there is no Web Audio */
  clipVoice: ClipVoice | null;
}

const ElderModeContext = createContext<ElderMode | null>(null);

/**
 * 长辈模式 for the whole kiosk. It shows as the `elder-mode` class on <html>, so the large-type,
 * high-contrast rules of elder-mode.css reach every screen (and the status bar) without each
 * screen knowing.
 */
export function ElderModeProvider({ defaultOn, speaker, clipVoice, children }: { defaultOn: boolean; speaker?: Speaker; clipVoice?: ClipVoice | null; children: ReactNode }) {
  const [on, setOn] = useState(defaultOn);
  const [platform] = useState(() => speaker ?? platformSpeaker());
  const [clips] = useState(() => (clipVoice === undefined ? bundledClipVoice() : clipVoice));
  useEffect(() => {
    document.documentElement.classList.toggle('elder-mode', on);
    if (!on) platform.stop();
  }, [on, platform]);
  const toggle = useCallback(() => setOn((was) => !was), []);
  const reset = useCallback(() => setOn(defaultOn), [defaultOn]);
  const value = useMemo(() => ({ on, atDefault: on === defaultOn, toggle, reset, speaker: platform, clipVoice: clips }), [on, defaultOn, toggle, reset, platform, clips]);
  return <ElderModeContext value={value}>{children}</ElderModeContext>;
}

export function useElderMode(): ElderMode {
  const mode = use(ElderModeContext);
  if (!mode) throw new Error('useElderMode outside ElderModeProvider');
  return mode;
}
