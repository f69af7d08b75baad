import type { ReactNode } from 'react';
import { createContext, use, useCallback, useEffect, useMemo, useState } from 'react';
import './elder-mode.css';
import { platformSpeaker, type Speaker } from './speaker.ts';

export interface ElderMode {
  on: boolean;
  /** as the hall set it for a new citizen (so an idle kiosk need not reset) */
  atDefault: boolean;
  toggle(): void;
  /** back to the hall's default, for the next citizen */
  reset(): void;
  speaker: Speaker;
}

const ElderModeContext = createContext<ElderMode | null>(null);

/**
 * 长辈模式 for the whole kiosk. It shows as the `elder-mode` class on <html>, so the large-type,
 * high-contrast rules of elder-mode.css reach every screen (and the status bar) without each
 * screen knowing.
 */
export function ElderModeProvider({ defaultOn, speaker, children }: { defaultOn: boolean; speaker?: Speaker; children: ReactNode }) {
  const [on, setOn] = useState(defaultOn);
  const [platform] = useState(() => speaker ?? platformSpeaker());
  useEffect(() => {
    document.documentElement.classList.toggle('elder-mode', on);
    if (!on) platform.stop();
  }, [on, platform]);
  const toggle = useCallback(() => setOn((was) => !was), []);
  const reset = useCallback(() => setOn(defaultOn), [defaultOn]);
  const value = useMemo(() => ({ on, atDefault: on === defaultOn, toggle, reset, speaker: platform }), [on, defaultOn, toggle, reset, platform]);
  return <ElderModeContext value={value}>{children}</ElderModeContext>;
}

export function useElderMode(): ElderMode {
  const mode = use(ElderModeContext);
  if (!mode) throw new Error('useElderMode outside ElderModeProvider');
  return mode;
}
