import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language, LocalizedText } from '../../core/text/localized.ts';

export function languageOf(resolved: string | undefined): Language {
  return resolved === 'en' ? 'en' : 'zh';
}

/** Picks the catalog's text in the language on screen. */
export function useLocalized(): (text: LocalizedText) => string {
  const { i18n } = useTranslation();
  const language = languageOf(i18n.resolvedLanguage);
  return useCallback((text: LocalizedText) => text[language], [language]);
}
