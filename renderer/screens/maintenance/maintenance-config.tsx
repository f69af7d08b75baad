import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConfigUpdateResult } from '../../../core/kiosk/kiosk-api.ts';
import { kioskConfigEditFields, type KioskConfigEdit, type KioskConfigEditField } from '../../../core/kiosk/kiosk-config.ts';
import { useKioskServices } from '../../app/kiosk-services.ts';

type Outcome = { kind: 'result'; result: ConfigUpdateResult } | { kind: 'failed'; detail: string } | null;

const hinted = new Set<KioskConfigEditField>(['printerAddress', 'serverUrl', 'readerPort']);
// The page read the hall name and idle time at start; a reload shows the new ones.
const reloadAfterSaveMs = 1500;

/** The settings a technician changes at the kiosk; checked on the privileged side, saved whole or not at all. */
export function MaintenanceConfig() {
  const { t } = useTranslation();
  const { kiosk } = useKioskServices();
  const [form, setForm] = useState<Record<KioskConfigEditField, string> | null>(null);
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  useEffect(() => {
    let live = true;
    kiosk.config.editable().then(
      (edit) => {
        if (live) setForm({ ...edit, idleTimeoutSeconds: String(edit.idleTimeoutSeconds) });
      },
      (error: unknown) => {
        if (live) setOutcome({ kind: 'failed', detail: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [kiosk]);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!form || saving) return;
    setSaving(true);
    setOutcome(null);
    const idle = Number(form.idleTimeoutSeconds.trim());
    // Not a number is sent as one the schema refuses, so the message names the field.
    const edit: KioskConfigEdit = { ...form, idleTimeoutSeconds: form.idleTimeoutSeconds.trim() !== '' && Number.isFinite(idle) ? idle : -1 };
    try {
      const result = await kiosk.config.update(edit);
      setOutcome({ kind: 'result', result });
      if (result.ok && result.changed.length > 0 && !result.restartNeeded) setTimeout(() => window.location.reload(), reloadAfterSaveMs);
    } catch (error) {
      setOutcome({ kind: 'failed', detail: error instanceof Error ? error.message : String(error) });
    } finally {
      setSaving(false);
    }
  };

  const problems = outcome?.kind === 'result' && !outcome.result.ok ? outcome.result.problems : [];
  const problemOf = (field: KioskConfigEditField) => problems.find((p) => p.field === field);

  return (
    <section className="maintenance-panel" data-testid="maintenance-config">
      <h2 className="group-title">{t('maintenance.configTitle')}</h2>
      {form && (
        <form className="config-form" onSubmit={(e) => void submit(e)} noValidate>
          {kioskConfigEditFields.map((field) => {
            const problem = problemOf(field);
            const id = `config-${field}`;
            return (
              <div key={field} className={`config-field ${problem ? 'config-field-bad' : ''}`}>
                <label htmlFor={id}>{t(`maintenance.field.${field}`)}</label>
                <input
                  id={id}
                  className="config-input"
                  data-testid={id}
                  inputMode={field === 'idleTimeoutSeconds' ? 'numeric' : undefined}
                  autoComplete="off"
                  spellCheck={false}
                  aria-invalid={problem ? true : undefined}
                  aria-describedby={problem ? `${id}-problem` : undefined}
                  value={form[field]}
                  onChange={(e) => setForm({ ...form, [field]: e.target.value })}
                />
                {hinted.has(field) && <span className="config-hint">{t(`maintenance.hint.${field as 'printerAddress' | 'serverUrl' | 'readerPort'}`)}</span>}
                {problem && (
                  <span className="message message-bad" id={`${id}-problem`} data-testid={`${id}-problem`} role="alert">
                    {t(`maintenance.problem.${field}`)}
                    {t('maintenance.problemDetail', { detail: problem.detail })}
                  </span>
                )}
              </div>
            );
          })}
          <button type="submit" className="button button-primary" data-testid="config-save" disabled={saving}>
            {saving ? t('maintenance.saving') : t('maintenance.save')}
          </button>
        </form>
      )}
      {outcome && <ConfigOutcomeText outcome={outcome} />}
    </section>
  );
}

function ConfigOutcomeText({ outcome }: { outcome: NonNullable<Outcome> }) {
  const { t } = useTranslation();
  if (outcome.kind === 'failed') {
    return (
      <p className="message message-bad" data-testid="config-outcome" data-outcome="failed" role="alert">
        {t('maintenance.saveFailed', { detail: outcome.detail })}
      </p>
    );
  }
  const { result } = outcome;
  if (!result.ok) {
    return (
      <p className="message message-bad" data-testid="config-outcome" data-outcome="refused" role="alert">
        {t('maintenance.refused', { count: result.problems.length })}
      </p>
    );
  }
  const text = result.changed.length === 0 ? t('maintenance.unchanged') : result.restartNeeded ? t('maintenance.savedRestart') : t('maintenance.savedReload');
  return (
    <p className="message" data-testid="config-outcome" data-outcome="saved" role="status">
      {text}
    </p>
  );
}
