import i18next from 'i18next';
import type { i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../core/text/localized.ts';
import { en } from './en.ts';
import { zh } from './zh.ts';

export const resources = { zh: { translation: zh }, en: { translation: en } } as const;

/** A fresh instance per app, so tests and the app never share a global language. */
export function createKioskI18n(language: Language): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: 'zh',
    // resources are bundled, so init finishes synchronously and the first paint is translated
    initAsync: false,
    // React already escapes text
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}
