import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { languageOf } from '../i18n/use-localized.ts';
import { useElderMode } from './elder-mode.tsx';
import { promptOf, spokenLabel, type PromptedScreen } from './screen-prompts.ts';

/**
 * In elder mode, each citizen screen says what to do next: aloud in Mandarin (or English) where
 * the platform has a voice, and always in a large banner — the fallback where it has none, and a
 * help in a noisy hall where it has. Without a voice, a note says so, so nobody waits to be told.
 */
export function ElderPrompt({ screen }: { screen: PromptedScreen }) {
  const { t, i18n } = useTranslation();
  const { on, speaker } = useElderMode();
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

  if (!on || !shown) return null;
  return (
    <div className="elder-prompt" role="status" data-testid="elder-prompt" data-voice={voiced ? 'spoken' : 'none'}>
      <p className="elder-prompt-text">{shown}</p>
      {!voiced && (
        <p className="elder-no-voice" data-testid="elder-no-voice">
          {t('elder.noVoice')}
        </p>
      )}
    </div>
  );
}
