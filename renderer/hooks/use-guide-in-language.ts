import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceItem } from '../../core/catalog/catalog.ts';
import { guideInLanguage } from '../../core/guide/guide-language.ts';
import type { GuideInLanguage } from '../../core/guide/guide-language.ts';
import type { ServiceGuide } from '../../core/guide/service-guide.ts';
import { languageOf } from '../i18n/use-localized.ts';

/** The guide in the language on screen, English where the hall translated it, Chinese elsewhere. */
export function useGuideInLanguage(service: ServiceItem, guide: ServiceGuide): GuideInLanguage {
  const { i18n } = useTranslation();
  const language = languageOf(i18n.resolvedLanguage);
  return useMemo(() => guideInLanguage(guide, language, service.windows.en), [guide, language, service.windows.en]);
}
