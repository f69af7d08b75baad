import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceItem } from '../../../core/catalog/catalog.ts';
import type { SlipMaterialStatus } from '../../../core/guide/disclosure-slip.ts';
import { initialSlipStatus, slipChoicesFor, slipTally } from '../../../core/guide/disclosure-slip.ts';
import type { PrintResult } from '../../../core/printing/printing.ts';
import type { ServiceGuide } from '../../../core/guide/service-guide.ts';
import { useLocalized } from '../../i18n/use-localized.ts';
import { printOnce } from '../../printing/print-and-record.ts';
import { buildSlipPrintJob } from '../../printing/slip-print-job.ts';
import { useKioskServices } from '../../app/kiosk-services.ts';
import { useGuideInLanguage } from '../../hooks/use-guide-in-language.ts';
import { TranslationNote } from '../../ui/translation-note.tsx';
import { useSinglePress } from '../../ui/double-tap.tsx';
import { MaterialFacts } from './material-facts.tsx';
import { Pager } from '../../ui/pager.tsx';

type SlipPhase =
  | { state: 'idle' }
  | { state: 'printing' }
  | { state: 'done'; serial: string; result: PrintResult }
  /** the slip could not even be recorded: nothing was printed */
  | { state: 'failed' };

interface ChecklistScreenProps {
  service: ServiceItem;
  guide: ServiceGuide;
  onTake: () => void;
  /** after each print, so the status bar shows the printer as it is now */
  onPrinted: () => void;
}

/**
 * 一次性告知单: the citizen says for each material whether they have it, and takes away a printed
 * list of what is still missing or must be corrected, with where to get it. A required material
 * starts as missing: a slip must never tell someone they have what they did not tick. A
 * conditional one starts undecided and can be marked 不适用, so it is never 缺 for someone it does
 * not concern.
 */
export function ChecklistScreen({ service, guide: published, onTake, onPrinted }: ChecklistScreenProps) {
  const { t } = useTranslation();
  const read = useGuideInLanguage(service, published);
  const { guide } = read;
  const local = useLocalized();
  const { slips, kiosk, config, sync } = useKioskServices();
  const [marks, setMarks] = useState<Record<string, SlipMaterialStatus>>({});
  const [phase, setPhase] = useState<SlipPhase>({ state: 'idle' });
  // A ref, not state: a double tap must not print two slips before React re-renders.
  const busy = useRef(false);
  const statusOf = (material: ServiceGuide['materials'][number]): SlipMaterialStatus => marks[material.id] ?? initialSlipStatus(material);
  const tally = slipTally(guide.materials.map(statusOf));
  const conditional = guide.materials.some((m) => m.requirement.kind === 'conditional');

  const mark = (id: string, status: SlipMaterialStatus) => {
    setMarks((m) => ({ ...m, [id]: status }));
    if (phase.state === 'done' || phase.state === 'failed') setPhase({ state: 'idle' });
  };

  const print = async () => {
    if (busy.current) return;
    busy.current = true;
    setPhase({ state: 'printing' });
    try {
      const slip = await slips.open(
        service.id,
        guide.materials.map((m) => ({ id: m.id, status: statusOf(m) })),
      );
      const result = await printOnce(
        () => buildSlipPrintJob({ slip, service, guide: published, hallName: config.hall.name, timeZone: config.hall.timeZone, language: read.language }),
        (job) => kiosk.printer.printSlip(job),
      );
      await slips.recordPrint(slip.id, result);
      setPhase({ state: 'done', serial: slip.serial, result });
    } catch (error) {
      console.error('printing a disclosure slip failed', error);
      setPhase({ state: 'failed' });
    } finally {
      busy.current = false;
      sync.kick();
      onPrinted();
    }
  };

  // One slip per press: a double tap whose first tap has already printed does not print again.
  const pressPrint = useSinglePress(() => void print());

  const outcome = phase.state === 'done' ? phase.result.outcome : phase.state === 'failed' ? 'error' : phase.state;
  const bad = outcome !== 'idle' && outcome !== 'printing' && outcome !== 'printed';
  return (
    <section className="screen screen-fill screen-checklist" data-testid="checklist" data-service-id={service.id}>
      <p className="screen-context">{local(service.name)}</p>
      <h1 className="screen-title">{t('checklist.title')}</h1>
      <p className="hint">{t('checklist.intro')}</p>
      <TranslationNote read={read} />
      <Pager testId="checklist-pager" resetKey={service.id}>
        <ol className="material-list">
          {guide.materials.map((m) => (
            <li key={m.id} className={`material-card status-${statusOf(m)}`} data-testid={`material-${m.id}`} data-status={statusOf(m)}>
              <p className="material-name">{m.name}</p>
              <MaterialFacts material={m} />
              {statusOf(m) === 'undecided' && (
                <p className="material-decide" data-testid={`material-${m.id}-decide`}>
                  {t('checklist.decide')}
                </p>
              )}
              <div className={`status-choices status-choices-${slipChoicesFor(m).length}`} role="group" aria-label={m.name}>
                {slipChoicesFor(m).map((status) => (
                  <button
                    key={status}
                    type="button"
                    className={`button status-choice status-choice-${status} ${statusOf(m) === status ? 'is-selected' : ''}`}
                    aria-pressed={statusOf(m) === status}
                    data-testid={`material-${m.id}-${status}`}
                    onClick={() => mark(m.id, status)}
                  >
                    {t(`checklist.status.${status}`)}
                  </button>
                ))}
              </div>
            </li>
          ))}
        </ol>
      </Pager>
      <p className="checklist-summary" data-testid="checklist-summary">
        {t(conditional ? 'checklist.summaryConditional' : 'checklist.summary', {
          total: guide.materials.length,
          have: tally.have,
          missing: tally.missing,
          toCorrect: tally['to-correct'],
          notApplicable: tally['not-applicable'],
          undecided: tally.undecided,
        })}
      </p>
      {phase.state !== 'idle' && (
        <p
          className={`print-state ${bad ? 'print-state-bad' : outcome === 'printed' ? 'print-state-ok' : 'print-state-busy'}`}
          data-testid="slip-state"
          data-state={outcome}
          data-serial={phase.state === 'done' ? phase.serial : undefined}
          role={bad ? 'alert' : 'status'}
        >
          {phase.state === 'printing'
            ? t('checklist.printing')
            : phase.state === 'done' && phase.result.outcome === 'printed'
              ? t('checklist.printed', { serial: phase.serial })
              : t('checklist.failed', { reason: t(`failureReason.${phase.state === 'done' && phase.result.outcome !== 'printed' ? phase.result.outcome : 'error'}`) })}
        </p>
      )}
      <div className="action-row">
        <button type="button" className="button button-primary action-main" data-testid="print-slip" disabled={phase.state === 'printing'} onClick={pressPrint}>
          {t('checklist.print')}
        </button>
        <button type="button" className="button button-secondary action-main" data-testid="checklist-take" onClick={onTake}>
          {t('checklist.take')}
        </button>
      </div>
    </section>
  );
}
