import type { Catalog } from '../../core/catalog/catalog.ts';
import type { ServiceGuide } from '../../core/guide/service-guide.ts';
import type { SearchHit, SearchOptions, ServiceSearchIndex } from '../../core/catalog/search.ts';
import { buildServiceSearchIndex } from '../../core/catalog/search.ts';

/**
 * The search index of the catalog on screen, built once. `warm()` runs at start-up, after the
 * first paint: the build and the first query load pinyin tables and compile the hot paths, and
 * the citizen's first keystroke should not pay for that.
 */
export class ServiceFinder {
  private index: ServiceSearchIndex | null = null;

  constructor(
    private readonly catalog: Catalog,
    private readonly guides: Readonly<Record<string, ServiceGuide>>,
  ) {}

  warm(): void {
    this.index ??= buildServiceSearchIndex(this.catalog, this.guides);
    this.index.prepare();
    this.search('zhengwu');
    this.search('社保');
  }

  search(query: string, options?: SearchOptions): SearchHit[] {
    this.index ??= buildServiceSearchIndex(this.catalog, this.guides);
    return this.index.search(query, options);
  }
}
