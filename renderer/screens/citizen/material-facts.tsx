import { useTranslation } from 'react-i18next';
import type { Material } from '../../../core/guide/service-guide.ts';

/** Everything the guide says of one material: how it must be presented, when, from where. */
export function MaterialFacts({ material }: { material: Material }) {
  const { t } = useTranslation();
  const { requirement, source } = material;
  return (
    <dl className="facts material-facts">
      <dt>{t('material.form')}</dt>
      <dd>
        {t(`terms.form.${material.form}`)} · {t('material.copyCount', { count: material.copies })} · {t(`terms.medium.${material.medium}`)}
      </dd>
      <dt>{t('material.necessity')}</dt>
      <dd className={requirement.kind === 'conditional' ? 'condition' : undefined}>
        {requirement.kind === 'conditional' ? `${t('material.conditional')} · ${t('material.condition', { condition: requirement.condition })}` : t('material.required')}
      </dd>
      <dt>{t('material.source')}</dt>
      <dd>
        {t(`terms.channel.${source.channel}`)}
        {source.issuer ? ` · ${t('material.issuer', { issuer: source.issuer })}` : ''}
      </dd>
      {material.specialRequirements && (
        <>
          <dt>{t('material.special')}</dt>
          <dd>{material.specialRequirements}</dd>
        </>
      )}
      {material.blankForm && <dd className="facts-wide">{t('material.blankForm', { title: material.blankForm.title })}</dd>}
      {material.sample && <dd className="facts-wide">{t('material.sample', { title: material.sample.title })}</dd>}
    </dl>
  );
}
