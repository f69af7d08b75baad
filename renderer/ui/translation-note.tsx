import { useTranslation } from 'react-i18next';
import { translationOf } from '../../core/guide/guide-language.ts';
import type { GuideInLanguage } from '../../core/guide/guide-language.ts';

/**
 * Says on screen that a guide, or part of it, is shown in Chinese because it has no English: a
 * visitor who meets Chinese in an English guide must know it is not a fault of the kiosk.
 */
export function TranslationNote({ read }: { read: GuideInLanguage }) {
  const { t } = useTranslation();
  const translation = translationOf(read);
  if (translation === 'complete') return null;
  return (
    <p className="translation-note" role="note" data-testid="translation-note" data-translation={translation}>
      {t(translation === 'none' ? 'guide.noEnglish' : 'guide.partlyEnglish')}
    </p>
  );
}
