import type { ServiceItem } from '../../../core/catalog/catalog.ts';

/**
 * Why the citizen is browsing: to take a number (取号 on the home screen) or to read a guide
 * (办事指南). The same lists serve both; the intent decides what a tap on a service does first.
 */
export type BrowseIntent = 'ticket' | 'guide';

export interface ServiceActions {
  onTake: (service: ServiceItem) => void;
  onGuide: (service: ServiceItem) => void;
}
