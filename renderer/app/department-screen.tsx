import { useTranslation } from 'react-i18next';
import type { Department } from '../../core/catalog.ts';
import { useLocalized } from '../i18n/use-localized.ts';
import { useKioskServices } from './kiosk-services.ts';

export function DepartmentScreen({ onChoose }: { onChoose: (department: Department) => void }) {
  const { t } = useTranslation();
  const local = useLocalized();
  const { catalog } = useKioskServices();
  return (
    <section className="screen" data-testid="departments">
      <h1 className="screen-title">{t('departments.title')}</h1>
      <div className="choice-grid">
        {catalog.departments.map((d) => (
          <button key={d.id} type="button" className="button button-choice" data-testid={`dept-${d.id}`} onClick={() => onChoose(d)}>
            <span className="choice-name">{local(d.name)}</span>
            <span className="choice-detail">{t('departments.location', { location: local(d.location) })}</span>
          </button>
        ))}
      </div>
    </section>
  );
}
