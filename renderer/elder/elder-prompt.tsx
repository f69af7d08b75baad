import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { languageOf } from '../i18n/use-localized.ts';
import { useElderMode } from './elder-mode.tsx';
import { promptOf, spokenLabel, type PromptedScreen } from './screen-prompts.ts';

/**
 * In elder mode, each citizen screen says what to do next: aloud in Mandarin (or English) where
 * the platform has a voice, and always in a large banner — the fallback where it has none, and a
 * help in a noisy hall where it has. Without a voice, a note says so, so nobody waits to be told;
 * in Chinese the clip voice (clip-voice.ts) still says the number of a ticket just taken.
 */
export function ElderPrompt({ screen }: { screen: PromptedScreen }) {
  const { t, i18n } = useTranslation();
  const { on, speaker, clipVoice } = useElderMode();
  const [clipsReady, setClipsReady] = useState(false);
  const language = languageOf(i18n.resolvedLanguage);
  const [voiced, setVoiced] = useState(() => speaker.canSpeak(language));
  const prompt = promptOf(screen);
  const shown = prompt ? t(`elder.prompt.${prompt.key}`, prompt.values ?? {}) : null;
  const spoken = prompt ? t(`elder.prompt.${prompt.key}`, prompt.values ? { label: spokenLabel(prompt.values.label) } : {}) : null;

  useEffect(() => {
    const update = () => setVoiced(speaker.canSpeak(language));
    update();
    return speaker.onVoicesChanged(update);
  }, [speaker, language]);

  useEffect(() => {
    if (on && spoken && voiced) speaker.speak(spoken, language);
  }, [on, spoken, voiced, speaker, language]);

  // Without a Chinese voice, the clips say what they can: the number just taken.
  useEffect(() => {
    if (!on || !clipVoice) return;
    let live = true;
    void clipVoice.ready().then((ok) => live && setClipsReady(ok));
    return () => {
      live = false;
    };
  }, [on, clipVoice]);
  const clipNumber = !voiced && clipsReady && language === 'zh' && (prompt?.key === 'ticket' || prompt?.key === 'notPrinted') ? (prompt.values?.label ?? null) : null;
  useEffect(() => {
    // A failed clip leaves the banner to say it, as with no voice at all.
    if (on && clipNumber && clipVoice) clipVoice.sayTicketNumber(clipNumber).catch(() => undefined);
  }, [on, clipNumber, clipVoice]);

  if (!on || !shown) return null;
  return (
    <div className="elder-prompt" role="status" data-testid="elder-prompt" data-voice={voiced ? 'spoken' : clipNumber ? 'clips' : 'none'}>
      <p className="elder-prompt-text">{shown}</p>
      {!voiced && !clipNumber && (
        <p className="elder-no-voice" data-testid="elder-no-voice">
          {t('elder.noVoice')}
        </p>
      )}
    </div>
  );
}
