import { useTranslation } from 'react-i18next';
import type { Department } from '../../../core/catalog/catalog.ts';
import { useLocalized } from '../../i18n/use-localized.ts';
import type { BrowseMode } from './browse-tabs.tsx';
import { BrowseTabs } from './browse-tabs.tsx';
import { useKioskServices } from '../../app/kiosk-services.ts';
import { Pager } from '../../ui/pager.tsx';

export function DepartmentScreen({ onChoose, onMode }: { onChoose: (department: Department) => void; onMode: (mode: BrowseMode) => void }) {
  const { t } = useTranslation();
  const local = useLocalized();
  const { catalog } = useKioskServices();
  return (
    <section className="screen screen-fill" data-testid="departments">
      <BrowseTabs current="departments" onChange={onMode} />
      <h1 className="screen-title">{t('departments.title')}</h1>
      <Pager testId="departments-pager">
        <div className="choice-grid">
          {catalog.departments.map((d) => (
            <button key={d.id} type="button" className="button button-choice" data-testid={`dept-${d.id}`} onClick={() => onChoose(d)}>
              <span className="choice-name">{local(d.name)}</span>
              <span className="choice-detail">{t('departments.location', { location: local(d.location) })}</span>
            </button>
          ))}
        </div>
      </Pager>
    </section>
  );
}
