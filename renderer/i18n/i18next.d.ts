import 'i18next';
import type { Translations } from './zh.ts';

// Typed keys: t('nonexistent.key') fails to compile.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Translations };
  }
}
