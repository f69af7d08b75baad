import type { Catalog } from '../../../core/catalog/catalog.ts';
import type { ServiceGuides } from '../../../core/guide/service-guide.ts';

/**
 * What a hall imports and publishes as one unit: the catalog kiosks issue tickets from, and the
 * guide of every service in it. They are versioned together because a printed disclosure slip
 * names the service, code and window of the catalog beside the guide's materials.
 */
export interface CatalogContent {
  catalog: Catalog;
  guides: ServiceGuides;
}
