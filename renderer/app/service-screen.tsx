import { useTranslation } from 'react-i18next';
import type { Department, ServiceItem } from '../../core/catalog.ts';
import { servicesOf } from '../../core/catalog.ts';
import { useLocalized } from '../i18n/use-localized.ts';
import { useKioskServices } from './kiosk-services.ts';

export function ServiceScreen({ department, onChoose }: { department: Department; onChoose: (service: ServiceItem) => void }) {
  const { t } = useTranslation();
  const local = useLocalized();
  const { catalog } = useKioskServices();
  const services = servicesOf(catalog, department.id);
  return (
    <section className="screen" data-testid="services">
      <p className="screen-context">{local(department.name)}</p>
      <h1 className="screen-title">{t('services.title')}</h1>
      {services.length === 0 && <p className="message">{t('services.empty')}</p>}
      <div className="choice-list">
        {services.map((s) => (
          <button key={s.id} type="button" className="button button-choice" data-testid={`service-${s.id}`} onClick={() => onChoose(s)}>
            <span className="choice-name">{local(s.name)}</span>
            <span className="choice-detail">{t('services.windows', { windows: local(s.windows) })}</span>
          </button>
        ))}
      </div>
    </section>
  );
}
