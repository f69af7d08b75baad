import i18next from 'i18next';
import type { i18n } from 'i18next';
import { useCallback } from 'react';
import { initReactI18next, useTranslation } from 'react-i18next';
import type { Language } from '../../core/text/localized.ts';
import { languages } from '../../core/text/localized.ts';

/**
 * i18n for the hall server's web pages, as the kiosk does it (renderer/i18n): i18next with
 * bundled resources, Chinese first, English available. Each app brings its own translations; the
 * language a person chose is kept per browser.
 */

/** An app's translations: nested objects of strings. */
export type WebTranslations = { readonly [key: string]: string | WebTranslations };

/** "a.b.c" for every string leaf of `T`. */
export type TextKey<T> = {
  [K in keyof T & string]: T[K] extends string ? K : T[K] extends WebTranslations ? `${K}.${TextKey<T[K]>}` : never;
}[keyof T & string];

/** A fresh instance per app, so tests and apps never share a global language. */
export function createWebI18n<T extends WebTranslations>(resources: { zh: T; en: T }, language: Language): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: { zh: { translation: resources.zh }, en: { translation: resources.en } },
    lng: language,
    fallbackLng: 'zh',
    // bundled resources: init finishes synchronously and the first paint is translated
    initAsync: false,
    // React already escapes text
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}

/**
 * The app's `t`, typed by its own translations. (The kiosk types i18next's global `t` by the
 * kiosk's keys, and one TypeScript program holds both, so web apps go through this instead.)
 */
export function useWebText<T extends WebTranslations>(): { t: (key: TextKey<T>, values?: Record<string, string | number>) => string; language: Language; setLanguage: (language: Language) => void } {
  const { t, i18n: instance } = useTranslation();
  const language: Language = instance.language === 'en' ? 'en' : 'zh';
  const text = useCallback((key: TextKey<T>, values?: Record<string, string | number>) => (t as unknown as (k: string, v?: object) => string)(key, values), [t]);
  const setLanguage = useCallback((next: Language) => void instance.changeLanguage(next), [instance]);
  return { t: text, language, setLanguage };
}

/** The language this browser chose last for `app`, else Chinese. */
export function storedLanguage(storage: Pick<Storage, 'getItem'> | null, app: string): Language {
  const value = storage?.getItem(`${app}.language`);
  return (languages as readonly string[]).includes(value ?? '') ? (value as Language) : 'zh';
}

export function storeLanguage(storage: Pick<Storage, 'setItem'> | null, app: string, language: Language): void {
  storage?.setItem(`${app}.language`, language);
}

/** The document's language attribute, for screen readers and fonts. */
export function htmlLang(language: Language): string {
  return language === 'en' ? 'en' : 'zh-CN';
}
