import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceItem } from '../../../core/catalog/catalog.ts';
import type { PriorityClass } from '../../../core/ticket/ticket.ts';
import { priorityClasses } from '../../../core/ticket/ticket.ts';
import type { ServiceClosed } from '../../../core/calendar/hall-calendar.ts';
import type { IssueResult } from '../../db/ticket-issuer.ts';
import { useLocalized } from '../../i18n/use-localized.ts';
import { useClosedText } from './availability-text.ts';
import { useHallNow } from '../../app/hall-now.ts';

const priorityOnly = priorityClasses.filter((c) => c !== 'normal');

type Problem = 'chooseFirst' | 'quotaReached' | 'reserveExhausted' | 'failed';

interface PriorityScreenProps {
  service: ServiceItem;
  onConfirm: (priority: PriorityClass) => Promise<IssueResult>;
}

export function PriorityScreen({ service, onConfirm }: PriorityScreenProps) {
  const { t } = useTranslation();
  const local = useLocalized();
  const [choice, setChoice] = useState<PriorityClass | null>(null);
  const [issuing, setIssuing] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  // The hall server's calendar refused (another kiosk filled the session, say): said exactly as
  // the kiosk says it when its own copy of the calendar decides.
  const [refused, setRefused] = useState<ServiceClosed | null>(null);
  // A ref, not state: a fast double tap must not issue two tickets before React re-renders.
  const busy = useRef(false);
  // Every way to a number ends here (rows, guides, checklists), so the calendar is checked here
  // too: a service that closed (or filled) while the citizen read its guide issues nothing.
  const hall = useHallNow();
  const closedText = useClosedText();
  const availability = hall?.availability(service);
  const closed = (availability && !availability.open ? availability : null) ?? refused;

  const choose = (c: PriorityClass): void => {
    setChoice(c);
    setProblem(null);
  };

  const confirm = async (): Promise<void> => {
    if (busy.current || closed) return;
    if (!choice) {
      setProblem('chooseFirst');
      return;
    }
    busy.current = true;
    setIssuing(true);
    setProblem(null);
    try {
      const result = await onConfirm(choice);
      if (!result.ok && result.reason === 'closed') setRefused(result.closed);
      else if (!result.ok) setProblem(result.reason === 'quota-reached' ? 'quotaReached' : 'reserveExhausted');
    } catch (error) {
      console.error('issuing a ticket failed', error);
      setProblem('failed');
    } finally {
      busy.current = false;
      setIssuing(false);
    }
  };

  const classButton = (c: PriorityClass, label: string, extra = '') => (
    <button
      key={c}
      type="button"
      className={`button button-choice button-class ${extra} ${choice === c ? 'is-selected' : ''}`}
      data-testid={`priority-${c}`}
      aria-pressed={choice === c}
      onClick={() => choose(c)}
    >
      <span className="choice-name">{label}</span>
      {choice === c && <span className="selected-mark">✓ {t('priority.selected')}</span>}
    </button>
  );

  return (
    <section className="screen screen-priority" data-testid="priority">
      <p className="screen-context">{local(service.name)}</p>
      <h1 className="screen-title">{t('priority.title')}</h1>
      {/* One column with the rest when portrait; beside it when landscape (styles.css). */}
      <div className="priority-choices">
        {classButton('normal', t('priority.normal'), 'button-class-normal')}
        <h2 className="group-title">{t('priority.group')}</h2>
        <div className="class-grid">{priorityOnly.map((c) => classButton(c, t(`priority.${c}`)))}</div>
      </div>
      {/* A message takes the hint's place, so it never pushes 确认取号 under the navigation bar. */}
      {!(closed && hall) && !problem && <p className="hint">{t('priority.proofHint')}</p>}
      {closed && hall && (
        <p className="message message-bad" data-testid="issue-closed" role="alert">
          {closedText(closed, hall.now, hall.timeZone)}
        </p>
      )}
      {problem && (
        <p className="message message-bad" data-testid="issue-message" role="alert">
          {t(`priority.${problem}`)}
        </p>
      )}
      <button
        type="button"
        className="button button-primary button-confirm"
        data-testid="confirm-ticket"
        disabled={issuing || closed !== null}
        onClick={() => void confirm()}
      >
        {issuing ? t('priority.issuing') : t('priority.confirm')}
      </button>
    </section>
  );
}
