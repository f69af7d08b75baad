import type { Catalog } from '../../core/catalog/catalog.ts';
import type { HallRules } from '../../core/calendar/calendar-rules.ts';
import type { ServiceGuide } from '../../core/guide/service-guide.ts';
import type { CatalogContent } from '../../server/catalog/import/catalog-content.ts';
import { demoCatalogFiles, readDemoCatalog } from '../../server/catalog/demo-catalog.ts';
import { demoHallCalendarFile, readDemoHallRules } from '../../server/calendar/demo-calendar.ts';

/**
 * The demo hall's data (demo/*.json) as tests use it, read through the server's catalog import and
 * core's calendar schema. The kiosk's own code never reads these: a standalone kiosk under test is
 * handed them as files (tests/e2e/support/kiosk-host.ts).
 */

/** The whole demo hall with its guides: what `npm start` serves. */
export const demoHallContent: CatalogContent = readDemoCatalog('full');
export const fullDemoCatalog: Catalog = demoHallContent.catalog;
export const demoGuides: Readonly<Record<string, ServiceGuide>> = demoHallContent.guides;

/** Its first five departments and eleven services, unchanged: a short catalog for sync and numbering tests. */
export const demoCatalog: Catalog = readDemoCatalog('small').catalog;

export const demoHallRules: HallRules = readDemoHallRules();

export { demoCatalogFiles, demoHallCalendarFile };
