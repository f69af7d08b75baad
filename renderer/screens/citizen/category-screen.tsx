import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceCategoryId } from '../../../core/catalog/categories.ts';
import { serviceCategories, servicesByCategory } from '../../../core/catalog/categories.ts';
import { useLocalized } from '../../i18n/use-localized.ts';
import type { BrowseIntent, ServiceActions } from './browse-intent.ts';
import type { BrowseMode } from './browse-tabs.tsx';
import { BrowseTabs } from './browse-tabs.tsx';
import { useKioskServices } from '../../app/kiosk-services.ts';
import { Pager } from '../../ui/pager.tsx';
import { ServiceScreen } from './service-screen.tsx';

/** null: the services whose guide names no topic (or that have no guide yet) */
export type CategoryChoice = ServiceCategoryId | null;

export function useCategoryLabel(): (category: CategoryChoice) => string {
  const { t } = useTranslation();
  const local = useLocalized();
  return (category) => {
    const found = serviceCategories.find((c) => c.id === category);
    return found ? local(found.label) : t('categories.other');
  };
}

export function useServicesByCategory() {
  const { catalog, guides } = useKioskServices();
  return useMemo(() => servicesByCategory(catalog, (id) => (Object.hasOwn(guides, id) ? guides[id]?.category : undefined)), [catalog, guides]);
}

export function CategoryScreen({ onChoose, onMode }: { onChoose: (category: CategoryChoice) => void; onMode: (mode: BrowseMode) => void }) {
  const { t } = useTranslation();
  const label = useCategoryLabel();
  const groups = useServicesByCategory();
  return (
    <section className="screen screen-fill" data-testid="categories">
      <BrowseTabs current="categories" onChange={onMode} />
      <h1 className="screen-title">{t('categories.title')}</h1>
      <Pager testId="categories-pager">
        <div className="choice-grid">
          {groups.map(({ category, services }) => (
            <button key={category ?? 'other'} type="button" className="button button-choice" data-testid={`category-${category ?? 'other'}`} onClick={() => onChoose(category)}>
              <span className="choice-name">{label(category)}</span>
              <span className="choice-detail">{t('categories.count', { count: services.length })}</span>
            </button>
          ))}
        </div>
      </Pager>
    </section>
  );
}

/** The services of one topic, for the same list screen departments use. */
export function CategoryServicesScreen({ category, intent, actions }: { category: CategoryChoice; intent: BrowseIntent; actions: ServiceActions }) {
  const label = useCategoryLabel();
  const groups = useServicesByCategory();
  const services = groups.find((g) => g.category === category)?.services ?? [];
  return <ServiceScreen context={label(category)} services={services} intent={intent} actions={actions} listKey={`category-${category ?? 'other'}`} />;
}
