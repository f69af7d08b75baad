import type { ServiceGuide } from '../../../core/guide/service-guide.ts';
import type { CatalogContent } from './catalog-content.ts';
import { catalogTables } from './catalog-tables.ts';
import type { TableKey, TableSpec } from './catalog-tables.ts';
import { formatCell } from './sheet-cells.ts';
import type { SheetRows } from './sheet-cells.ts';

type Cells = Record<string, string | number | boolean | null | undefined | readonly string[]>;

/** Each table's records, as cells by column key; children in their guide's order, guides in catalog order. */
function records(content: CatalogContent): Record<TableKey, Cells[]> {
  const { catalog, guides } = content;
  const guided = catalog.services.map((s) => guides[s.id]).filter((g): g is ServiceGuide => g !== undefined);
  const each = <T>(list: (g: ServiceGuide) => readonly T[], cells: (item: T) => Cells): Cells[] =>
    guided.flatMap((g) => list(g).map((item) => ({ service: g.serviceId, ...cells(item) })));
  return {
    departments: catalog.departments.map((d) => ({ id: d.id, name: d.name.zh, name_en: d.name.en, location: d.location.zh, location_en: d.location.en })),
    services: catalog.services.map((s) => ({
      id: s.id,
      name: s.name.zh,
      prefix: s.prefix,
      department: s.departmentId,
      code: s.code,
      daily_quota: s.dailyQuota,
      windows: s.windows.zh,
      name_en: s.name.en,
      windows_en: s.windows.en,
    })),
    guides: guided.map((g) => ({
      service: g.serviceId,
      type: g.type,
      category: g.category,
      summary: g.summary.zh,
      summary_en: g.summary.en,
      implementing_body: g.implementingBody,
      implementing_body_en: g.en?.implementingBody,
      handling_unit: g.handlingUnit,
      handling_unit_en: g.en?.handlingUnit,
      statutory_days: g.timeLimits.statutoryWorkingDays,
      promised_days: g.timeLimits.promisedWorkingDays,
      time_limit_note: g.timeLimits.note,
      time_limit_note_en: g.en?.timeLimitNote,
      visits: g.visits,
      fee_charged: g.fee.charged,
      fee_basis: g.fee.charged ? g.fee.basis : undefined,
      fee_standard: g.fee.charged ? g.fee.standard : undefined,
      fee_basis_en: g.en?.feeBasis,
      fee_standard_en: g.en?.feeStandard,
      address: g.place.address,
      address_en: g.en?.address,
      hours: g.hours,
      hours_en: g.en?.hours,
      consult_phone: g.phones.consult,
      supervision_phone: g.phones.supervision,
      online_url: g.onlineUrl,
      keywords: g.keywords,
      available_24h: g.available24h,
    })),
    conditions: each(
      (g) => g.acceptanceConditions.map((condition, i) => ({ condition, en: g.en?.acceptanceConditions?.[i] ?? undefined })),
      (c) => ({ condition: c.condition, condition_en: c.en }),
    ),
    legalBasis: each((g) => g.legalBasis, (b) => ({ law: b.law, article: b.article })),
    materials: each(
      (g) => g.materials,
      (m) => ({
        id: m.id,
        name: m.name,
        name_en: m.en?.name,
        form: m.form,
        copies: m.copies,
        medium: m.medium,
        condition: m.requirement.kind === 'conditional' ? m.requirement.condition : undefined,
        condition_en: m.en?.condition,
        channel: m.source.channel,
        issuer: m.source.issuer,
        issuer_en: m.en?.issuer,
        special_requirements: m.specialRequirements,
        special_requirements_en: m.en?.specialRequirements,
        blank_form: m.blankForm?.title,
        blank_form_ref: m.blankForm?.ref,
        blank_form_en: m.en?.blankForm,
        sample: m.sample?.title,
        sample_ref: m.sample?.ref,
        sample_en: m.en?.sample,
      }),
    ),
    steps: each((g) => g.process, (s) => ({ stage: s.stage, name: s.name, name_en: s.en?.name, description: s.description, description_en: s.en?.description })),
    faq: each((g) => g.faq, (f) => ({ question: f.q, answer: f.a, question_en: f.en?.q, answer_en: f.en?.a })),
    synonyms: (catalog.synonyms ?? []).map((s) => ({ term: s.term, colloquial: s.colloquial })),
  };
}

function sheetOf(spec: TableSpec, rows: Cells[]): SheetRows {
  return {
    name: spec.name,
    rows: [spec.columns.map((c) => c.header), ...rows.map((row) => spec.columns.map((c) => formatCell(c.kind, row[c.key])))],
  };
}

/** The tables of `content`, every one of them even when empty, headers in row 1. */
export function contentToTables(content: CatalogContent): SheetRows[] {
  const all = records(content);
  return catalogTables.map((spec) => sheetOf(spec, all[spec.key]));
}
