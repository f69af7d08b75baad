import { useTranslation } from 'react-i18next';

interface NavBarProps {
  onBack: (() => void) | null;
  onHome: (() => void) | null;
  onToggleLanguage: () => void;
  onStaff: () => void;
}

export function NavBar({ onBack, onHome, onToggleLanguage, onStaff }: NavBarProps) {
  const { t } = useTranslation();
  return (
    <nav className="nav-bar">
      {onBack && (
        <button type="button" className="button button-secondary" data-testid="nav-back" onClick={onBack}>
          ‹ {t('nav.back')}
        </button>
      )}
      {onHome && (
        <button type="button" className="button button-secondary" data-testid="nav-home" onClick={onHome}>
          {t('nav.home')}
        </button>
      )}
      <span className="nav-spacer" />
      <button type="button" className="button button-secondary" data-testid="lang-toggle" aria-label={t('lang.toggleLabel')} onClick={onToggleLanguage}>
        {t('lang.toggle')}
      </button>
      <button type="button" className="button button-quiet" data-testid="staff-entry" onClick={onStaff}>
        {t('status.staff')}
      </button>
    </nav>
  );
}
