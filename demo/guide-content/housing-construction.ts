import type { Department } from '../../core/catalog/catalog.ts';
import { applicationForm, businessLicence, entry, fourLinks, free, idCard, issued, newService, onTheSpot, own } from './common.ts';
import type { DemoEntry, Desk } from './common.ts';

export const housingConstructionDepartment: Department = {
  id: 'housing-construction',
  name: { zh: '住房和城乡建设局', en: 'Housing & Urban-Rural Development' },
  location: { zh: '三楼东区', en: '3F East' },
};

const desk: Desk = {
  department: housingConstructionDepartment,
  implementingBody: '市住房和城乡建设局',
  handlingUnit: '市住房和城乡建设局行政审批科',
  consultPhone: '12345',
};
const housingUnit = '市住房保障和房屋管理服务中心';
const planningPermit = issued('planning-permit', '建设工程规划许可证', '自然资源和规划部门', { form: '复印件' });

export const housingConstructionEntries: DemoEntry[] = [
  entry(desk, newService(desk, { id: 'construction-permit', code: 'ZJ-001', zh: '建筑工程施工许可证核发', en: 'Construction permit', prefix: 'UA', dailyQuota: 30, windows: ['71–72号窗口', 'Counters 71–72'] }), {
    summary: '建筑工程开工前，建设单位申请领取施工许可证。',
    summaryEn: 'Permit the developer must hold before construction starts.',
    type: '行政许可',
    category: 'construction',
    legalBasis: [{ law: '《中华人民共和国建筑法》', article: '第七条' }, { law: '《中华人民共和国建筑法》', article: '第八条' }, { law: '《建筑工程施工许可管理办法》' }],
    acceptanceConditions: [
      '已经办理该建筑工程用地批准手续',
      '依法应当办理建设工程规划许可证的，已经取得',
      '需要征收房屋的，其进度符合施工要求',
      '已经确定建筑施工企业',
      '有满足施工需要的资金安排、施工图纸及技术资料',
      '有保证工程质量和安全的具体措施',
    ],
    materials: [
      applicationForm('construction-permit', '建筑工程施工许可证申请表'),
      issued('land-approval', '用地批准手续', '自然资源和规划部门', { form: '复印件', specialRequirements: '不动产权证书或用地批准文件' }),
      planningPermit,
      own('construction-contract', '施工合同或中标通知书', { form: '复印件' }),
      issued('drawing-review', '施工图设计文件审查合格书', '施工图审查机构', { source: { channel: '中介机构出具', issuer: '施工图审查机构' } }),
      own('safety-pledge', '工程质量安全措施及资金落实承诺书', { specialRequirements: '建设单位法定代表人签字并加盖公章' }),
    ],
    process: fourLinks({ review: '审查用地、规划、施工企业和质量安全措施。', approve: '符合条件的颁发施工许可证。', conclude: '领取纸质证书，电子证照同步生成。' }),
    timeLimits: { statutoryWorkingDays: 7, promisedWorkingDays: 3 },
    visits: 1,
    fee: free,
    faq: [{ q: '哪些工程不用办施工许可证？', a: '工程投资额在30万元以下或建筑面积在300平方米以下的建筑工程，可以不申请施工许可证（本市另有规定的从其规定）。' }],
    keywords: ['施工许可证', '施工证', '开工', '开工许可', '建设工程施工', '报建'],
    available24h: false,
  }),

  entry(desk, newService(desk, { id: 'presale-permit', code: 'ZJ-002', zh: '商品房预售许可', en: 'Off-plan sale permit', prefix: 'UB', dailyQuota: 20, windows: ['71–72号窗口', 'Counters 71–72'] }), {
    summary: '房地产开发企业预售商品房前，申请商品房预售许可证。',
    summaryEn: 'Permit a developer needs before selling homes off-plan.',
    type: '行政许可',
    category: 'housing',
    legalBasis: [{ law: '《中华人民共和国城市房地产管理法》', article: '第四十五条' }, { law: '《城市商品房预售管理办法》' }],
    acceptanceConditions: [
      '已交付全部土地使用权出让金，取得土地使用权证书',
      '持有建设工程规划许可证',
      '按提供预售的商品房计算，投入开发建设的资金达到工程建设总投资的25%以上，并已经确定施工进度和竣工交付日期',
    ],
    materials: [
      applicationForm('presale-permit', '商品房预售许可申请表'),
      businessLicence({ form: '复印件' }),
      issued('land-title', '土地不动产权证书', '不动产登记机构', { form: '复印件' }),
      planningPermit,
      issued('construction-permit', '建筑工程施工许可证', '住房和城乡建设部门', { form: '复印件' }),
      issued('progress-proof', '工程形象进度证明', '工程监理单位', { source: { channel: '中介机构出具', issuer: '工程监理单位' } }),
      own('presale-plan', '商品房预售方案', { specialRequirements: '含预售房屋位置、面积、价格和交付使用日期' }),
    ],
    process: fourLinks(
      { review: '审查材料并核实资金投入与工程进度。', approve: '符合条件的核发预售许可证。', conclude: '领取预售许可证，并在销售现场公示。' },
      [{ after: '审核', name: '现场查勘', description: '到项目现场核实工程形象进度；查勘时间不计入办结时限。' }],
    ),
    timeLimits: { statutoryWorkingDays: 10, promisedWorkingDays: 5 },
    visits: 1,
    fee: free,
    faq: [{ q: '购房人怎么核实楼盘有没有预售证？', a: '在本局网站输入项目名称或预售许可证号即可查询。' }],
    keywords: ['预售证', '预售许可证', '楼盘预售', '开发商', '卖期房'],
    available24h: false,
  }),

  entry(desk, newService(desk, { id: 'completion-filing', code: 'ZJ-003', zh: '房屋建筑工程竣工验收备案', en: 'Completion acceptance filing', prefix: 'UC', dailyQuota: 20, windows: ['73号窗口', 'Counter 73'] }), {
    summary: '建设工程竣工验收合格后，建设单位报送竣工验收报告及相关文件备案。',
    summaryEn: 'File the completion acceptance of a building project.',
    type: '其他行政权力',
    category: 'construction',
    legalBasis: [{ law: '《建设工程质量管理条例》', article: '第四十九条' }],
    acceptanceConditions: ['工程已竣工验收合格', '自竣工验收合格之日起15日内报送'],
    materials: [
      applicationForm('completion-filing', '房屋建筑工程竣工验收备案表', { copies: 2, specialRequirements: '一式两份，建设、勘察、设计、施工、监理单位签章' }),
      own('completion-report', '工程竣工验收报告'),
      issued('planning-acceptance', '规划核实意见', '自然资源和规划部门', { form: '复印件' }),
      issued('fire-acceptance', '消防验收意见或备案凭证', '住房和城乡建设部门（消防审验）', { form: '复印件' }),
      own('warranty', '施工单位签署的工程质量保修书'),
      own('housing-guarantee', '住宅质量保证书和住宅使用说明书', { when: '商品住宅工程的' }),
    ],
    process: onTheSpot('在备案表上签署备案意见'),
    timeLimits: { statutoryWorkingDays: null, promisedWorkingDays: 0, note: '材料齐全的当场备案；发现违反质量管理规定的责令停止使用、重新验收' },
    visits: 1,
    fee: free,
    faq: [{ q: '备案后才能交房吗？', a: '是的。未经竣工验收备案的商品房不得交付使用。' }],
    keywords: ['竣工备案', '竣工验收', '验收备案', '工程备案', '交房'],
    available24h: false,
  }),

  entry(desk, newService(desk, { id: 'public-rental-housing', code: 'ZJ-004', zh: '公共租赁住房申请', en: 'Public rental housing', prefix: 'UD', dailyQuota: 60, windows: ['74–75号窗口', 'Counters 74–75'] }), {
    summary: '住房困难的城镇中等偏下收入家庭、新就业无房职工和外来务工人员，申请承租公共租赁住房。',
    summaryEn: 'Apply to rent public housing if your household has low income and no adequate home.',
    type: '行政给付',
    category: 'housing',
    handlingUnit: housingUnit,
    legalBasis: [{ law: '《公共租赁住房管理办法》' }],
    acceptanceConditions: [
      '在本市无住房或者住房面积低于规定标准',
      '收入、财产低于规定标准',
      '外来务工人员在本市稳定就业达到规定年限',
    ],
    materials: [
      applicationForm('public-rental-housing', '公共租赁住房申请表'),
      idCard('家庭成员'),
      issued('household-register', '户口簿或居住证', '公安派出所'),
      issued('marital-status', '婚姻状况证明', '婚姻登记机关', { when: '已婚或离异的' }),
      issued('income-proof', '家庭成员收入证明', '所在单位', { source: { channel: '其他', issuer: '所在单位' } }),
      own('consent', '家庭经济状况核对授权书', { specialRequirements: '家庭成员签字，授权核查住房、收入、车辆等信息' }),
    ],
    process: fourLinks(
      { review: '核对家庭住房、收入和财产状况。', approve: '符合条件的纳入轮候，按轮候顺序配租。', conclude: '通知申请人选房并签订租赁合同。' },
      [{ after: '审核', name: '公示', description: '审核结果在社区和政府网站公示，公示期间无异议的纳入轮候；公示期不计入办结时限。' }],
    ),
    timeLimits: { statutoryWorkingDays: null, promisedWorkingDays: 20 },
    visits: 1,
    fee: free,
    faq: [{ q: '排上队以后多久能住进去？', a: '视房源情况而定，轮候期间可申请领取租赁补贴。' }],
    keywords: ['公租房', '廉租房', '保障房', '租赁补贴', '保障性住房', '住房困难'],
    available24h: false,
  }),

  entry(desk, newService(desk, { id: 'lease-filing', code: 'ZJ-005', zh: '房屋租赁登记备案', en: 'Tenancy registration', prefix: 'UE', dailyQuota: 120, windows: ['74–75号窗口', 'Counters 74–75'] }), {
    summary: '房屋租赁合同订立后，出租人或承租人办理租赁登记备案，备案证明可用于居住证、公积金提取等。',
    summaryEn: 'Register a tenancy; the record is used for residence permits and housing fund withdrawals.',
    type: '其他行政权力',
    category: 'housing',
    handlingUnit: housingUnit,
    legalBasis: [{ law: '《中华人民共和国城市房地产管理法》', article: '第五十四条' }, { law: '《商品房屋租赁管理办法》', article: '第十四条' }],
    acceptanceConditions: ['租赁合同已订立，且在订立后30日内申请', '出租房屋符合安全、防灾等要求'],
    materials: [
      own('lease-contract', '房屋租赁合同'),
      idCard('出租人和承租人'),
      issued('title-certificate', '房屋不动产权证书或其他合法权属证明', '不动产登记机构', { form: '复印件' }),
    ],
    process: onTheSpot('出具房屋租赁登记备案证明'),
    timeLimits: { statutoryWorkingDays: 3, promisedWorkingDays: 0 },
    visits: 0,
    fee: free,
    faq: [{ q: '房东不来能备案吗？', a: '能。承租人持合同和房东身份证复印件申请，系统向房东发送确认短信，确认后即完成备案。' }],
    keywords: ['租房备案', '租赁备案', '租房合同备案', '房屋出租', '租房'],
    available24h: false,
  }),
];
