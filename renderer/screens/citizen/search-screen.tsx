import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { BrowseIntent, ServiceActions } from './browse-intent.ts';
import type { BrowseMode } from './browse-tabs.tsx';
import { BrowseTabs } from './browse-tabs.tsx';
import { useLocalized } from '../../i18n/use-localized.ts';
import { useKioskServices } from '../../app/kiosk-services.ts';
import { Pager } from '../../ui/pager.tsx';
import { PinyinKeyboard } from '../../ui/pinyin-keyboard.tsx';
import { ServiceRow } from './service-row.tsx';

const resultLimit = 30;
/** when no service covers the whole query, the closest few: more would bury them among guesses */
const partialLimit = 3;
const popularCount = 4;
/** more letters than any service name has syllables: a stuck key cannot grow the query forever */
const maxQueryLength = 40;

interface SearchScreenProps {
  query: string;
  onQuery: (query: string) => void;
  intent: BrowseIntent;
  actions: ServiceActions;
  onMode: (mode: BrowseMode) => void;
}

/**
 * Search as the citizen types: the on-screen letters for pinyin and initials, or Chinese from the
 * system input method where a keyboard is attached (the box takes it; `inputMode="none"` keeps a
 * touch screen's own keyboard from covering the results). Results follow every keystroke.
 */
export function SearchScreen({ query, onQuery, intent, actions, onMode }: SearchScreenProps) {
  const { t } = useTranslation();
  const { finder, catalog } = useKioskServices();
  const local = useLocalized();
  const results = useMemo(() => {
    const byId = new Map(catalog.services.map((s) => [s.id, s]));
    const found = finder.search(query, { limit: resultLimit }).flatMap((hit) => {
      const service = byId.get(hit.serviceId);
      return service ? [{ hit, service }] : [];
    });
    return found.length > 0 && found[0]!.hit.coverage < 1 ? found.slice(0, partialLimit) : found;
  }, [finder, catalog, query]);
  // The hall sizes each service's daily quota (限号) to its demand: the largest are what most people come for.
  const popular = useMemo(() => [...catalog.services].sort((a, b) => b.dailyQuota - a.dailyQuota).slice(0, popularCount), [catalog]);
  const set = (next: string) => onQuery(next.slice(0, maxQueryLength));
  const typed = query.trim() !== '';
  const partial = results.length > 0 && results[0]!.hit.coverage < 1;
  const status = !typed ? t('search.hint') : results.length === 0 ? t('search.empty') : partial ? t('search.partial', { count: results.length }) : t('search.count', { count: results.length });

  return (
    <section className="screen screen-fill screen-search" data-testid="search">
      <BrowseTabs current="search" onChange={onMode} />
      <label className="search-box">
        <span className="search-label">{t('search.title')}</span>
        <input
          className="search-input"
          data-testid="search-input"
          type="text"
          inputMode="none"
          autoComplete="off"
          autoCorrect="off"
          spellCheck={false}
          enterKeyHint="search"
          aria-label={t('search.inputLabel')}
          placeholder={t('search.placeholder')}
          value={query}
          // The input method's composition text is searched as it is typed: its pinyin finds services too.
          onChange={(e) => set(e.target.value)}
          autoFocus
        />
      </label>
      <p className="search-status" data-testid="search-status" data-count={results.length} data-partial={partial} role="status">
        {status}
      </p>
      <Pager testId="results-pager" resetKey={query}>
        <div className="choice-list" data-testid="search-results">
          {results.map(({ hit, service }) => (
            <ServiceRow
              key={service.id}
              service={service}
              intent={intent}
              actions={actions}
              testId={`result-${service.id}`}
              showDepartment
              highlights={hit.highlights}
              matched={hit.field === 'keyword' ? hit.matched : undefined}
            />
          ))}
        </div>
        {typed && results.length === 0 && (
          <div className="search-fallback" data-testid="search-fallback">
            <p className="search-help" data-testid="search-help">
              {t('search.help')}
            </p>
            <h2 className="search-popular-title">{t('search.popular')}</h2>
            {/* names only, two to a row: the whole choice should be seen at once beside the keyboard */}
            <div className="search-popular" data-testid="search-popular">
              {popular.map((service) => (
                <button
                  key={service.id}
                  type="button"
                  className="button button-choice popular-service"
                  data-testid={`popular-${service.id}`}
                  data-service-id={service.id}
                  onClick={() => (intent === 'guide' ? actions.onGuide(service) : actions.onTake(service))}
                >
                  {local(service.name)}
                </button>
              ))}
            </div>
          </div>
        )}
      </Pager>
      <PinyinKeyboard onLetter={(letter) => set(query + letter)} onBackspace={() => set(Array.from(query).slice(0, -1).join(''))} onClear={() => set('')} />
    </section>
  );
}
