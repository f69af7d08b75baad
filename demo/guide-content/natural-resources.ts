import type { Department } from '../../core/catalog/catalog.ts';
import { applicationForm, businessLicence, entry, fourLinks, free, issued, newService, own } from './common.ts';
import type { DemoEntry, Desk } from './common.ts';

export const naturalResourcesDepartment: Department = {
  id: 'natural-resources',
  name: { zh: '自然资源和规划局', en: 'Natural Resources & Planning' },
  location: { zh: '三楼西区', en: '3F West' },
};

const desk: Desk = {
  department: naturalResourcesDepartment,
  implementingBody: '市自然资源和规划局',
  handlingUnit: '市自然资源和规划局行政审批科',
  consultPhone: '12345',
};
const planningLaw = '《中华人民共和国城乡规划法》';
const permitLimits = { statutoryWorkingDays: 20, note: '《中华人民共和国行政许可法》第四十二条：受理之日起20日内作出决定' };
const projectApproval = issued('project-approval', '项目批准、核准或备案文件', '发展和改革部门', { form: '复印件' });
const windows: [string, string] = ['76–77号窗口', 'Counters 76–77'];

export const naturalResourcesEntries: DemoEntry[] = [
  entry(desk, newService(desk, { id: 'site-selection', code: 'ZR-001', zh: '建设项目用地预审与选址意见书核发', en: 'Land pre-examination and site selection', prefix: 'NA', dailyQuota: 20, windows }), {
    summary: '以划拨方式提供国有土地使用权的建设项目，在批准、核准前申请用地预审与选址意见书。',
    summaryEn: 'Site selection opinion and land pre-examination for allocated-land projects.',
    type: '行政许可',
    category: 'construction',
    legalBasis: [{ law: planningLaw, article: '第三十六条' }, { law: '《中华人民共和国土地管理法》', article: '第五十二条' }],
    acceptanceConditions: ['项目符合国土空间规划和用途管制要求', '以划拨方式取得国有土地使用权的建设项目'],
    materials: [
      applicationForm('site-selection', '建设项目用地预审与选址申请表'),
      own('project-proposal', '项目建议书或可行性研究报告'),
      issued('boundary-map', '项目用地范围勘测定界图', '具备资质的测绘单位', { source: { channel: '中介机构出具', issuer: '具备资质的测绘单位' } }),
      own('land-use-statement', '建设项目用地规模和功能分区说明'),
    ],
    process: fourLinks({ review: '审查项目与国土空间规划的符合性及用地规模。', approve: '作出核发或不予核发的决定。', conclude: '核发建设项目用地预审与选址意见书。' }),
    timeLimits: { ...permitLimits, promisedWorkingDays: 10 },
    visits: 1,
    fee: free,
    faq: [{ q: '出让土地的项目也要办吗？', a: '以出让方式取得土地的项目不需要申请选址意见书，按出让合同办理用地规划许可。' }],
    keywords: ['选址意见书', '用地预审', '项目选址', '规划选址'],
    available24h: false,
  }),

  entry(desk, newService(desk, { id: 'land-planning-permit', code: 'ZR-002', zh: '建设用地规划许可证核发', en: 'Land use planning permit', prefix: 'NB', dailyQuota: 20, windows }), {
    summary: '建设单位在取得国有土地使用权前后，申请建设用地规划许可证，确定用地位置、面积和允许建设的范围。',
    summaryEn: 'Planning permit fixing a project’s site, area and building limits.',
    type: '行政许可',
    category: 'construction',
    legalBasis: [{ law: planningLaw, article: '第三十七条' }, { law: planningLaw, article: '第三十八条' }],
    acceptanceConditions: ['项目已经批准、核准或备案', '以出让方式取得土地的，已签订国有土地使用权出让合同'],
    materials: [
      applicationForm('land-planning-permit', '建设用地规划许可申请表'),
      businessLicence({ form: '复印件' }),
      projectApproval,
      own('transfer-contract', '国有建设用地使用权出让合同', { when: '以出让方式取得土地的', form: '复印件' }),
      issued('allocation-decision', '国有土地划拨决定书', '自然资源和规划部门', { when: '以划拨方式取得土地的', form: '复印件' }),
    ],
    process: fourLinks({ review: '核对规划条件、用地范围和项目批准文件。', approve: '作出核发或不予核发的决定。', conclude: '核发建设用地规划许可证。' }),
    timeLimits: { ...permitLimits, promisedWorkingDays: 5 },
    visits: 1,
    fee: free,
    faq: [{ q: '许可证有效期多长？', a: '取得许可证后一年内未取得用地批准的，许可证自行失效，可在期满前申请延期。' }],
    keywords: ['用地规划许可证', '规划许可', '用地许可', '拿地', '规划证'],
    available24h: false,
  }),

  entry(desk, newService(desk, { id: 'project-planning-permit', code: 'ZR-003', zh: '建设工程规划许可证核发', en: 'Building planning permit', prefix: 'NC', dailyQuota: 20, windows }), {
    summary: '在城市、镇规划区内进行建筑物、构筑物、道路、管线等工程建设的，申请建设工程规划许可证。',
    summaryEn: 'Planning permit for buildings, roads and pipelines within the planning area.',
    type: '行政许可',
    category: 'construction',
    legalBasis: [{ law: planningLaw, article: '第四十条' }],
    acceptanceConditions: ['已取得建设用地规划许可证和土地权属证明', '设计方案符合控制性详细规划和规划条件'],
    materials: [
      applicationForm('project-planning-permit', '建设工程规划许可申请表'),
      issued('land-title', '不动产权证书（土地）或用地批准文件', '不动产登记机构', { form: '复印件' }),
      issued('design-scheme', '建设工程设计方案（总平面图、建筑单体方案）', '具备资质的设计单位', { source: { channel: '中介机构出具', issuer: '具备资质的设计单位' }, medium: '纸质或电子' }),
      own('detailed-plan', '修建性详细规划', { when: '规划条件要求编制修建性详细规划的' }),
    ],
    process: fourLinks(
      { review: '审查设计方案的各项指标是否符合规划条件。', approve: '作出核发或不予核发的决定。', conclude: '核发建设工程规划许可证及附图。' },
      [{ after: '审核', name: '批前公示', description: '在项目现场和本局网站公示设计方案，听取利害关系人意见；公示期不计入办结时限。' }],
    ),
    timeLimits: { ...permitLimits, promisedWorkingDays: 10 },
    visits: 1,
    fee: free,
    faq: [{ q: '自建住房也要办吗？', a: '城市、镇规划区内的建设需要办理；乡村建设按规定申请乡村建设规划许可证。' }],
    keywords: ['工程规划许可证', '建设工程规划', '规划报建', '报规', '规划审批'],
    available24h: false,
  }),
];
