import { serviceCategories } from '../../../core/catalog/categories.ts';
import { materialChannels, materialForms, materialMedia, serviceTypes, standardStages } from '../../../core/guide/service-guide.ts';

/**
 * The spreadsheet form of a catalog and its guides: one sheet (or CSV file) per table, a header
 * row, one row per record. Headers are Chinese, as the hall's staff write them; the English key
 * is accepted in their place and names the column in error messages. Both the reader and the
 * writer work from these definitions, so what is exported can be imported back unchanged.
 * English columns (英文…) may be left out or empty: a text without English is shown in Chinese.
 */

export interface Choice {
  /** what the catalog stores */
  value: string;
  /** spellings accepted in a cell; the first is the one written on export */
  names: readonly string[];
}

export type CellKind =
  | { type: 'text'; optional?: true }
  | { type: 'int'; min: number; max?: number; /** an empty cell means null */ optional?: true }
  | { type: 'bool' }
  | { type: 'choice'; choices: readonly Choice[] }
  /** several short texts in one cell, separated by 、 , ; or line breaks */
  | { type: 'list' };

export interface ColumnSpec {
  key: string;
  header: string;
  kind: CellKind;
  /** in characters, for the exported sheet */
  width: number;
  /** what to write, for the exported 说明 sheet and the README */
  note: string;
}

export type TableKey = 'departments' | 'services' | 'guides' | 'conditions' | 'legalBasis' | 'materials' | 'steps' | 'faq' | 'synonyms';

export interface TableSpec {
  key: TableKey;
  /** the sheet's (or CSV file's) name */
  name: string;
  /** also accepted as the sheet name */
  englishName: string;
  /** a guide cannot be complete without it; FAQ may be left out */
  required: boolean;
  note: string;
  columns: readonly ColumnSpec[];
}

/** A column may be left out of the sheet only when every cell of it may be empty. */
export function isOptionalColumn(column: ColumnSpec): boolean {
  const { kind } = column;
  return kind.type === 'list' || ((kind.type === 'text' || kind.type === 'int') && kind.optional === true);
}

const plain = (values: readonly string[]): Choice[] => values.map((value) => ({ value, names: [value] }));
const text = { type: 'text' } as const;
const optionalText = { type: 'text', optional: true } as const;

/** Every row of a guide's child tables names its service by the service's id. */
const serviceColumn: ColumnSpec = { key: 'service', header: '事项编号', kind: text, width: 20, note: '“事项”表中的事项编号' };

export const catalogTables: readonly TableSpec[] = [
  {
    key: 'departments',
    name: '部门',
    englishName: 'departments',
    required: true,
    note: '大厅的部门及其窗口所在位置',
    columns: [
      { key: 'id', header: '部门编号', kind: text, width: 20, note: '唯一，小写英文，如 market' },
      { key: 'name', header: '部门名称', kind: text, width: 24, note: '' },
      { key: 'name_en', header: '英文名称', kind: text, width: 30, note: '' },
      { key: 'location', header: '位置', kind: text, width: 12, note: '窗口所在楼层区域，如 一楼东区' },
      { key: 'location_en', header: '英文位置', kind: text, width: 12, note: '' },
    ],
  },
  {
    key: 'services',
    name: '事项',
    englishName: 'services',
    required: true,
    note: '可取号的事项：票号字母、每日限号和窗口',
    columns: [
      { key: 'id', header: '事项编号', kind: text, width: 20, note: '唯一，小写英文，如 biz-registration' },
      { key: 'name', header: '事项名称', kind: text, width: 24, note: '与办事指南同名' },
      { key: 'prefix', header: '取号字母', kind: text, width: 10, note: '一到两个大写字母，全厅唯一，如 A、BD' },
      { key: 'department', header: '部门编号', kind: text, width: 18, note: '“部门”表中的部门编号' },
      { key: 'code', header: '事项编码', kind: text, width: 14, note: '唯一' },
      { key: 'daily_quota', header: '每日限号', kind: { type: 'int', min: 1 }, width: 10, note: '正整数' },
      { key: 'windows', header: '办理窗口', kind: text, width: 16, note: '如 1–6号窗口' },
      { key: 'name_en', header: '英文名称', kind: text, width: 30, note: '' },
      { key: 'windows_en', header: '英文窗口', kind: text, width: 16, note: '' },
    ],
  },
  {
    key: 'guides',
    name: '办事指南',
    englishName: 'guides',
    required: true,
    note: '每个事项一行；事项编码、名称和窗口取自“事项”表',
    columns: [
      serviceColumn,
      { key: 'type', header: '事项类型', kind: { type: 'choice', choices: plain(serviceTypes) }, width: 12, note: serviceTypes.join('、') },
      {
        key: 'category',
        header: '主题分类',
        kind: { type: 'choice', choices: serviceCategories.map((c) => ({ value: c.id, names: [c.label.zh, c.id, c.label.en] })) },
        width: 12,
        note: serviceCategories.map((c) => c.label.zh).join('、'),
      },
      { key: 'summary', header: '事项简介', kind: text, width: 40, note: '' },
      { key: 'summary_en', header: '英文简介', kind: optionalText, width: 40, note: '可空' },
      { key: 'implementing_body', header: '实施主体', kind: text, width: 20, note: '' },
      { key: 'handling_unit', header: '承办机构', kind: text, width: 24, note: '' },
      { key: 'statutory_days', header: '法定办结时限', kind: { type: 'int', min: 0, optional: true }, width: 12, note: '工作日；法律未规定的留空' },
      { key: 'promised_days', header: '承诺办结时限', kind: { type: 'int', min: 0 }, width: 12, note: '工作日，不超过法定时限；0 为即办件' },
      { key: 'time_limit_note', header: '时限说明', kind: optionalText, width: 30, note: '可空' },
      { key: 'visits', header: '到现场次数', kind: { type: 'int', min: 0, max: 5 }, width: 10, note: '0–5；0 为全程网办' },
      { key: 'fee_charged', header: '是否收费', kind: { type: 'bool' }, width: 10, note: '是 或 否' },
      { key: 'fee_basis', header: '收费依据', kind: optionalText, width: 30, note: '收费的事项必填' },
      { key: 'fee_standard', header: '收费标准', kind: optionalText, width: 30, note: '收费的事项必填' },
      { key: 'address', header: '办理地点', kind: text, width: 24, note: '' },
      { key: 'hours', header: '办理时间', kind: text, width: 40, note: '' },
      { key: 'consult_phone', header: '咨询电话', kind: text, width: 14, note: '数字和连字符' },
      { key: 'supervision_phone', header: '监督投诉电话', kind: text, width: 14, note: '数字和连字符' },
      { key: 'online_url', header: '网上办理地址', kind: optionalText, width: 36, note: 'http(s) 网址；不能网办的留空' },
      { key: 'keywords', header: '关键词', kind: { type: 'list' }, width: 36, note: '群众的叫法，用顿号分隔，如 营业执照、开公司' },
      { key: 'available_24h', header: '24小时自助', kind: { type: 'bool' }, width: 10, note: '能否在24小时自助区办理：是 或 否' },
      { key: 'implementing_body_en', header: '英文实施主体', kind: optionalText, width: 24, note: '可空' },
      { key: 'handling_unit_en', header: '英文承办机构', kind: optionalText, width: 28, note: '可空' },
      { key: 'time_limit_note_en', header: '英文时限说明', kind: optionalText, width: 30, note: '可空；须有中文时限说明' },
      { key: 'fee_basis_en', header: '英文收费依据', kind: optionalText, width: 30, note: '可空；仅收费的事项' },
      { key: 'fee_standard_en', header: '英文收费标准', kind: optionalText, width: 30, note: '可空；仅收费的事项' },
      { key: 'address_en', header: '英文办理地点', kind: optionalText, width: 28, note: '可空' },
      { key: 'hours_en', header: '英文办理时间', kind: optionalText, width: 40, note: '可空' },
    ],
  },
  {
    key: 'conditions',
    name: '受理条件',
    englishName: 'conditions',
    required: true,
    note: '每个事项至少一条，按行的顺序列出',
    columns: [
      serviceColumn,
      { key: 'condition', header: '受理条件', kind: text, width: 60, note: '' },
      { key: 'condition_en', header: '英文受理条件', kind: optionalText, width: 60, note: '可空' },
    ],
  },
  {
    key: 'legalBasis',
    name: '设定依据',
    englishName: 'legal_basis',
    required: true,
    note: '每个事项至少一条',
    columns: [
      serviceColumn,
      { key: 'law', header: '法律法规', kind: text, width: 40, note: '以书名号开头，如 《中华人民共和国行政许可法》' },
      { key: 'article', header: '条款', kind: optionalText, width: 14, note: '如 第三十二条；整部法规为依据的留空' },
    ],
  },
  {
    key: 'materials',
    name: '材料',
    englishName: 'materials',
    required: true,
    note: '申请材料，每个事项至少一项，按行的顺序打印在一次性告知单上',
    columns: [
      serviceColumn,
      { key: 'id', header: '材料编号', kind: text, width: 18, note: '小写字母、数字和连字符，同一事项内唯一，如 id-card' },
      { key: 'name', header: '材料名称', kind: text, width: 30, note: '' },
      { key: 'form', header: '材料形式', kind: { type: 'choice', choices: plain(materialForms) }, width: 12, note: materialForms.join('、') },
      { key: 'copies', header: '份数', kind: { type: 'int', min: 1, max: 20 }, width: 6, note: '1–20' },
      { key: 'medium', header: '载体', kind: { type: 'choice', choices: plain(materialMedia) }, width: 10, note: materialMedia.join('、') },
      { key: 'condition', header: '适用情形', kind: optionalText, width: 30, note: '留空为必要材料；否则写明需要提交的情形' },
      { key: 'channel', header: '来源渠道', kind: { type: 'choice', choices: plain(materialChannels) }, width: 14, note: materialChannels.join('、') },
      { key: 'issuer', header: '出具单位', kind: optionalText, width: 20, note: '到哪里办理或领取，可空' },
      { key: 'special_requirements', header: '特别要求', kind: optionalText, width: 30, note: '可空' },
      { key: 'blank_form', header: '空白表格', kind: optionalText, width: 24, note: '表格名称；与地址同填或同空' },
      { key: 'blank_form_ref', header: '空白表格地址', kind: optionalText, width: 30, note: 'ASCII 路径，如 forms/x/application.pdf' },
      { key: 'sample', header: '示范样表', kind: optionalText, width: 24, note: '样表名称；与地址同填或同空' },
      { key: 'sample_ref', header: '示范样表地址', kind: optionalText, width: 30, note: 'ASCII 路径' },
      { key: 'name_en', header: '英文材料名称', kind: optionalText, width: 30, note: '可空' },
      { key: 'condition_en', header: '英文适用情形', kind: optionalText, width: 30, note: '可空；须有中文适用情形' },
      { key: 'issuer_en', header: '英文出具单位', kind: optionalText, width: 24, note: '可空；须有中文出具单位' },
      { key: 'special_requirements_en', header: '英文特别要求', kind: optionalText, width: 30, note: '可空；须有中文特别要求' },
      { key: 'blank_form_en', header: '英文空白表格', kind: optionalText, width: 24, note: '可空；须有中文表格名称' },
      { key: 'sample_en', header: '英文示范样表', kind: optionalText, width: 24, note: '可空；须有中文样表名称' },
    ],
  },
  {
    key: 'steps',
    name: '流程',
    englishName: 'steps',
    required: true,
    note: '按办理顺序：受理→审核→审批→办结，特别程序插在其后',
    columns: [
      serviceColumn,
      { key: 'stage', header: '环节', kind: { type: 'choice', choices: plain([...standardStages, '特别程序']) }, width: 10, note: `${standardStages.join('、')}、特别程序` },
      { key: 'name', header: '步骤名称', kind: text, width: 14, note: '' },
      { key: 'description', header: '步骤说明', kind: text, width: 60, note: '' },
      { key: 'name_en', header: '英文步骤名称', kind: optionalText, width: 18, note: '可空' },
      { key: 'description_en', header: '英文步骤说明', kind: optionalText, width: 60, note: '可空' },
    ],
  },
  {
    key: 'faq',
    name: '常见问题',
    englishName: 'faq',
    required: false,
    note: '可省略整张表',
    columns: [
      serviceColumn,
      { key: 'question', header: '问题', kind: text, width: 40, note: '' },
      { key: 'answer', header: '解答', kind: text, width: 60, note: '' },
      { key: 'question_en', header: '英文问题', kind: optionalText, width: 40, note: '可空' },
      { key: 'answer_en', header: '英文解答', kind: optionalText, width: 60, note: '可空' },
    ],
  },
  {
    key: 'synonyms',
    name: '俗称',
    englishName: 'synonyms',
    required: false,
    note: '全厅通用的群众叫法：搜索时俗称等同于规范用语（如 房产、房子 → 不动产）；某一事项独有的叫法写在“办事指南”的关键词里。可省略整张表',
    columns: [
      { key: 'term', header: '规范用语', kind: text, width: 20, note: '事项名称或关键词中的写法，如 不动产' },
      { key: 'colloquial', header: '俗称', kind: { type: 'list' }, width: 40, note: '群众的说法，用顿号分隔，如 房产、房子；一个俗称只能对应一个规范用语' },
    ],
  },
];

/** Sheets a workbook may carry for people, which an import passes over. */
export const notesSheetName = '说明';

export function tableSpec(key: TableKey): TableSpec {
  const spec = catalogTables.find((t) => t.key === key);
  if (!spec) throw new Error(`no table ${key}`);
  return spec;
}
