import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceItem } from '../../../core/catalog/catalog.ts';
import type { ServiceGuide } from '../../../core/guide/service-guide.ts';
import { isInstant } from '../../../core/guide/service-guide.ts';
import { languageOf, useLocalized } from '../../i18n/use-localized.ts';
import { useKioskServices } from '../../app/kiosk-services.ts';
import { useGuideInLanguage } from '../../hooks/use-guide-in-language.ts';
import { TranslationNote } from '../../ui/translation-note.tsx';
import { MaterialFacts } from './material-facts.tsx';
import { Pager } from '../../ui/pager.tsx';
import { QrCode } from './qr-code.tsx';

function Section({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <section className="guide-section" data-testid={testId}>
      <h2 className="group-title">{title}</h2>
      {children}
    </section>
  );
}

interface GuideScreenProps {
  service: ServiceItem;
  guide: ServiceGuide;
  onTake: () => void;
  onChecklist: () => void;
}

/** 办事指南: every element of the guide (docs/architecture.md §5), read page by page at arm's length. */
export function GuideScreen({ service, guide: published, onTake, onChecklist }: GuideScreenProps) {
  const { t, i18n } = useTranslation();
  const local = useLocalized();
  const { catalog } = useKioskServices();
  const department = catalog.departments.find((d) => d.id === service.departmentId);
  const english = languageOf(i18n.resolvedLanguage) === 'en';
  const read = useGuideInLanguage(service, published);
  const { guide } = read;
  const { timeLimits, fee } = guide;

  return (
    <section className="screen screen-fill screen-guide" data-testid="guide" data-service-id={service.id}>
      <p className="screen-context">
        {t('guide.title')}
        {department ? ` · ${local(department.name)}` : ''}
      </p>
      <h1 className="screen-title" data-testid="guide-name">
        {local(service.name)}
      </h1>
      <p className="guide-tags">
        <span className="tag" data-testid="guide-code">
          {t('guide.code')} {guide.code}
        </span>
        <span className="tag">{t(`terms.type.${guide.type}`)}</span>
        {isInstant(guide) && <span className="tag tag-strong">{t('guide.instant')}</span>}
        {guide.available24h && (
          <span className="tag tag-strong" data-testid="guide-24h">
            {t('service.available24h')}
          </span>
        )}
      </p>
      <TranslationNote read={read} />
      <div className="action-row">
        <button type="button" className="button button-primary action-main" data-testid="guide-take" onClick={onTake}>
          {t('guide.take')}
        </button>
        <button type="button" className="button button-secondary action-main" data-testid="guide-checklist" onClick={onChecklist}>
          {t('guide.checklist')}
        </button>
      </div>
      <Pager testId="guide-pager" resetKey={service.id}>
        <article className="guide-body">
          <p className="guide-summary" data-testid="guide-summary">
            {english && guide.summary.en ? guide.summary.en : guide.summary.zh}
          </p>

          <Section title={t('guide.basics')} testId="guide-basics">
            <dl className="facts">
              <dt>{t('guide.code')}</dt>
              <dd>{guide.code}</dd>
              <dt>{t('guide.type')}</dt>
              <dd>{t(`terms.type.${guide.type}`)}</dd>
              <dt>{t('guide.implementingBody')}</dt>
              <dd>{guide.implementingBody}</dd>
              <dt>{t('guide.handlingUnit')}</dt>
              <dd>{guide.handlingUnit}</dd>
            </dl>
          </Section>

          <Section title={t('guide.legalBasis')} testId="guide-legal-basis">
            {english && <p className="guide-text">{t('guide.lawsInChinese')}</p>}
            <ul className="plain-list">
              {guide.legalBasis.map((b) => (
                <li key={`${b.law}${b.article ?? ''}`}>
                  {b.law}
                  {b.article ?? ''}
                </li>
              ))}
            </ul>
          </Section>

          <Section title={t('guide.conditions')} testId="guide-conditions">
            <ol className="numbered-list">
              {guide.acceptanceConditions.map((c, i) => (
                <li key={i}>{c}</li>
              ))}
            </ol>
          </Section>

          <Section title={t('guide.materials', { count: guide.materials.length })} testId="guide-materials">
            <ol className="material-list">
              {guide.materials.map((m) => (
                <li key={m.id} className="material-card" data-testid={`guide-material-${m.id}`}>
                  <p className="material-name">{m.name}</p>
                  <MaterialFacts material={m} />
                </li>
              ))}
            </ol>
          </Section>

          <Section title={t('guide.process')} testId="guide-process">
            <ol className="process-list">
              {guide.process.map((step, i) => (
                <li key={`${step.stage}-${i}`} className={step.stage === '特别程序' ? 'process-special' : undefined}>
                  <span className="process-stage">{t(`terms.stage.${step.stage}`)}</span>
                  {published.process[i]!.name !== step.stage && <span className="process-name"> · {step.name}</span>}
                  <p className="process-text">{step.description}</p>
                </li>
              ))}
            </ol>
          </Section>

          <Section title={t('guide.timeLimits')} testId="guide-time-limits">
            <dl className="facts">
              <dt>{t('guide.statutory')}</dt>
              <dd>{timeLimits.statutoryWorkingDays === null ? t('guide.noStatutory') : t('guide.workingDays', { count: timeLimits.statutoryWorkingDays })}</dd>
              <dt>{t('guide.promised')}</dt>
              <dd>{isInstant(guide) ? t('guide.instant') : t('guide.workingDays', { count: timeLimits.promisedWorkingDays })}</dd>
              {timeLimits.note && <dd className="facts-wide">{timeLimits.note}</dd>}
              <dt>{t('guide.visits')}</dt>
              <dd>{guide.visits === 0 ? t('guide.visitsNone') : t('guide.visitCount', { count: guide.visits })}</dd>
            </dl>
          </Section>

          <Section title={t('guide.fee')} testId="guide-fee">
            {fee.charged ? (
              <>
                <p className="guide-text">{t('guide.feeStandard', { standard: fee.standard })}</p>
                <p className="guide-text">{t('guide.feeBasis', { basis: fee.basis })}</p>
              </>
            ) : (
              <p className="guide-text">{t('guide.free')}</p>
            )}
          </Section>

          <Section title={t('guide.place')} testId="guide-place">
            <dl className="facts">
              <dt>{t('guide.place')}</dt>
              <dd>{guide.place.address}</dd>
              <dt>{t('guide.windows')}</dt>
              <dd data-testid="guide-windows">{guide.place.windows}</dd>
              <dt>{t('guide.hours')}</dt>
              <dd>{guide.hours}</dd>
            </dl>
          </Section>

          <Section title={t('guide.phones')} testId="guide-phones">
            <dl className="facts">
              <dt>{t('guide.consultPhone')}</dt>
              <dd className="phone" data-testid="guide-consult-phone">
                {guide.phones.consult}
              </dd>
              <dt>{t('guide.supervisionPhone')}</dt>
              <dd className="phone" data-testid="guide-supervision-phone">
                {guide.phones.supervision}
              </dd>
            </dl>
          </Section>

          {guide.onlineUrl && (
            <Section title={t('guide.online')} testId="guide-online">
              <div className="online-box">
                <QrCode text={guide.onlineUrl} label={t('guide.onlineHint')} testId="guide-qr" />
                <div>
                  <p className="guide-text">{t('guide.onlineHint')}</p>
                  <p className="guide-url">{guide.onlineUrl}</p>
                </div>
              </div>
            </Section>
          )}

          <Section title={t('guide.faq')} testId="guide-faq">
            {guide.faq.length === 0 && <p className="guide-text">{t('guide.noFaq')}</p>}
            {guide.faq.map((f, i) => (
              <div key={i} className="faq">
                <p className="faq-q">{t('guide.question', { text: f.q })}</p>
                <p className="guide-text">{t('guide.answer', { text: f.a })}</p>
              </div>
            ))}
          </Section>
        </article>
      </Pager>
    </section>
  );
}
