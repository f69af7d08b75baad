import { useTranslation } from 'react-i18next';
import type { ServiceItem } from '../../../core/catalog/catalog.ts';
import type { BrowseIntent, ServiceActions } from './browse-intent.ts';
import { Pager } from '../../ui/pager.tsx';
import { ServiceRow } from './service-row.tsx';

interface ServiceScreenProps {
  /** the department or topic the list is of */
  context: string;
  services: ServiceItem[];
  intent: BrowseIntent;
  actions: ServiceActions;
  /** tells lists apart for the pager (back to the top on another list) */
  listKey: string;
}

export function ServiceScreen({ context, services, intent, actions, listKey }: ServiceScreenProps) {
  const { t } = useTranslation();
  return (
    <section className="screen screen-fill" data-testid="services">
      <p className="screen-context">{context}</p>
      <h1 className="screen-title">{t('services.title')}</h1>
      {services.length === 0 && <p className="message">{t('services.empty')}</p>}
      <Pager testId="services-pager" resetKey={listKey}>
        <div className="choice-list">
          {services.map((s) => (
            <ServiceRow key={s.id} service={s} intent={intent} actions={actions} testId={`service-${s.id}`} />
          ))}
        </div>
      </Pager>
    </section>
  );
}
