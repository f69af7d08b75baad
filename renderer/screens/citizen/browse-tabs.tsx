import { useTranslation } from 'react-i18next';

export type BrowseMode = 'departments' | 'categories' | 'search';

const modes: { mode: BrowseMode; label: 'browse.byDepartment' | 'browse.byCategory' | 'browse.search' }[] = [
  { mode: 'departments', label: 'browse.byDepartment' },
  { mode: 'categories', label: 'browse.byCategory' },
  { mode: 'search', label: 'browse.search' },
];

/** Three ways to the same services: how the hall is organised, what the citizen wants done, or typing. */
export function BrowseTabs({ current, onChange }: { current: BrowseMode; onChange: (mode: BrowseMode) => void }) {
  const { t } = useTranslation();
  return (
    <div className="browse-tabs" role="tablist" aria-label={t('browse.label')}>
      {modes.map(({ mode, label }) => (
        <button
          key={mode}
          type="button"
          role="tab"
          aria-selected={current === mode}
          className={`button browse-tab ${current === mode ? 'is-selected' : ''}`}
          data-testid={`browse-${mode}`}
          onClick={() => onChange(mode)}
        >
          {current === mode ? '● ' : ''}
          {t(label)}
        </button>
      ))}
    </div>
  );
}
