import type { Department } from '../../core/catalog/catalog.ts';
import { agentMaterials, applicationForm, entry, fourLinks, free, idCard, issued, newService, onTheSpot, own } from './common.ts';
import type { DemoEntry, Desk } from './common.ts';

export const medicalInsuranceDepartment: Department = {
  id: 'medical-insurance',
  name: { zh: '医疗保障局', en: 'Healthcare Security' },
  location: { zh: '一楼北区', en: '1F North' },
};

const desk: Desk = {
  department: medicalInsuranceDepartment,
  implementingBody: '市医疗保障局',
  handlingUnit: '市医疗保障事业管理中心',
  consultPhone: '12393',
};
const law = '《中华人民共和国社会保险法》';
const ssCard = issued('ss-card', '社会保障卡或医保电子凭证', '社会保障卡服务窗口', { medium: '纸质或电子' });
const windows: [string, string] = ['15–18号窗口', 'Counters 15–18'];

export const medicalInsuranceEntries: DemoEntry[] = [
  entry(desk, newService(desk, { id: 'resident-medical-enrolment', code: 'YB-001', zh: '城乡居民基本医疗保险参保登记', en: 'Resident medical insurance enrolment', prefix: 'YA', dailyQuota: 150, windows }), {
    summary: '未参加职工医保的城乡居民、学生和新生儿，登记参加城乡居民基本医疗保险。',
    summaryEn: 'Enrol residents, students and newborns who have no employee medical insurance.',
    type: '公共服务',
    category: 'social-insurance',
    legalBasis: [{ law, article: '第二十五条' }],
    acceptanceConditions: ['本市户籍或持本市居住证的居民', '未参加职工基本医疗保险'],
    materials: [
      issued('identity', '参保人居民身份证或户口簿', '户籍所在地公安机关', { specialRequirements: '新生儿和未办理身份证的未成年人提供户口簿；原件核验后当场退还' }),
      issued('residence-permit', '居住证', '居住地公安派出所', { when: '非本市户籍的' }),
    ],
    process: onTheSpot('完成参保登记，缴费后次月起享受待遇（新生儿自出生之日起享受）'),
    timeLimits: { statutoryWorkingDays: null, promisedWorkingDays: 0 },
    visits: 0,
    fee: free,
    faq: [{ q: '新生儿什么时候参保？', a: '出生后尽快办理；出生当年按规定缴费的，自出生之日起享受医保待遇。' }],
    keywords: ['居民医保', '城乡居民医保', '医保参保', '小孩医保', '新生儿医保', '交医保'],
    available24h: true,
  }),

  entry(desk, newService(desk, { id: 'medical-insurance-transfer', code: 'YB-002', zh: '基本医疗保险关系转移接续', en: 'Transfer of medical insurance', prefix: 'YB', dailyQuota: 80, windows }), {
    summary: '跨统筹地区流动就业的参保人，将基本医疗保险关系转入本市，缴费年限累计计算。',
    summaryEn: 'Move your medical insurance record to this city when you change jobs across regions.',
    type: '公共服务',
    category: 'social-insurance',
    legalBasis: [{ law, article: '第三十二条' }, { law: '《基本医疗保障关系转移接续暂行办法》' }],
    acceptanceConditions: ['已在本市参加基本医疗保险', '原参保地已终止参保或办理中断'],
    materials: [idCard(), applicationForm('medical-insurance-transfer', '基本医疗保险关系转移接续申请表'), ...agentMaterials()],
    process: fourLinks({
      review: '转入地核对参保状态，通过全国医保信息平台向转出地发起转移。',
      approve: '转出地核对缴费信息并转出个人账户余额。',
      conclude: '转入地合并缴费年限，通知参保人办理结果。',
    }),
    timeLimits: { statutoryWorkingDays: null, promisedWorkingDays: 15 },
    visits: 0,
    fee: free,
    faq: [{ q: '转移期间看病能报销吗？', a: '转移接续期间按规定连续参保的，待遇不中断，可在新参保地正常结算。' }],
    keywords: ['医保转移', '医保转入', '医保接续', '换城市医保', '跨省医保转移'],
    available24h: false,
  }),

  entry(desk, newService(desk, { id: 'offsite-medical-filing', code: 'YB-003', zh: '异地就医备案', en: 'Register for medical care in another city', prefix: 'YC', dailyQuota: 200, windows }), {
    summary: '长期在外地居住、工作或临时外出就医的参保人，办理异地就医备案后可直接结算。',
    summaryEn: 'Register to have medical bills settled directly when treated outside this city.',
    type: '公共服务',
    category: 'social-insurance',
    legalBasis: [{ law, article: '第二十九条' }, { law: '《国家医保局 财政部关于进一步做好基本医疗保险跨省直接结算工作的通知》' }],
    acceptanceConditions: ['参加本市基本医疗保险且处于正常参保状态', '异地长期居住、常驻异地工作，或因病需转外地就医'],
    materials: [
      ssCard,
      own('pledge', '个人承诺书', { when: '异地长期居住人员以承诺方式备案的', source: { channel: '申请人自备', issuer: '窗口或网上现场签署' } }),
      issued('referral', '转诊转院证明', '本市定点医疗机构', { when: '临时外出转诊就医的', source: { channel: '其他', issuer: '本市定点医疗机构' } }),
    ],
    process: onTheSpot('完成备案，备案信息即时生效'),
    timeLimits: { statutoryWorkingDays: null, promisedWorkingDays: 0 },
    visits: 0,
    fee: free,
    faq: [
      { q: '可以不来窗口吗？', a: '可以。通过国家医保服务平台App、微信小程序或本中心24小时自助机均可备案。' },
      { q: '备案后能回本市看病吗？', a: '长期居住备案的，在备案有效期内回参保地就医仍可按规定结算。' },
    ],
    keywords: ['异地就医', '医保备案', '外地看病', '跨省就医', '异地备案', '转诊'],
    available24h: true,
  }),

  entry(desk, newService(desk, { id: 'chronic-disease', code: 'YB-004', zh: '门诊慢特病待遇认定', en: 'Outpatient chronic disease benefit', prefix: 'YD', dailyQuota: 60, windows }), {
    summary: '患有高血压、糖尿病、恶性肿瘤等门诊慢特病的参保人，申请认定后门诊费用按规定报销。',
    summaryEn: 'Have a chronic condition recognised so outpatient treatment is reimbursed at a higher rate.',
    type: '行政确认',
    category: 'social-insurance',
    legalBasis: [{ law, article: '第二十八条' }],
    acceptanceConditions: ['参加本市基本医疗保险', '所患疾病属于本市门诊慢特病病种目录'],
    materials: [
      ssCard,
      applicationForm('chronic-disease', '门诊慢特病待遇认定申请表'),
      issued('medical-records', '近一年的病历、检查报告及诊断证明', '二级及以上定点医疗机构', { source: { channel: '其他', issuer: '二级及以上定点医疗机构' } }),
    ],
    process: fourLinks(
      { review: '审核病历资料是否符合病种认定标准。', approve: '经专家评审后作出认定结论。', conclude: '认定通过的，自认定之日起享受门诊慢特病待遇，结果短信告知。' },
      [{ after: '审核', name: '专家评审', description: '由定点医疗机构专家按病种认定标准评审，必要时请申请人复查。' }],
    ),
    timeLimits: { statutoryWorkingDays: null, promisedWorkingDays: 15 },
    visits: 1,
    fee: free,
    faq: [{ q: '在定点医院就能申请吗？', a: '可以。本市二级及以上定点医疗机构可直接受理认定申请，不必到中心窗口。' }],
    keywords: ['慢性病', '慢特病', '门诊慢病', '高血压', '糖尿病', '慢病卡', '特殊病'],
    available24h: false,
  }),

  entry(desk, newService(desk, { id: 'medical-reimbursement', code: 'YB-005', zh: '零星医疗费用报销', en: 'Reimbursement of paid medical bills', prefix: 'YE', dailyQuota: 120, windows }), {
    summary: '因急诊、未备案异地就医等原因全额垫付医疗费用的参保人，申请医保报销。',
    summaryEn: 'Claim back medical bills you paid in full, e.g. after emergency treatment elsewhere.',
    type: '行政给付',
    category: 'social-insurance',
    legalBasis: [{ law, article: '第二十八条' }, { law, article: '第二十九条' }],
    acceptanceConditions: ['就医时处于正常参保状态', '费用未在医疗机构直接结算', '自费用发生之日起按本市规定期限内申请'],
    materials: [
      ssCard,
      issued('receipts', '医疗收费票据（含电子票据）', '就诊医疗机构', { source: { channel: '其他', issuer: '就诊医疗机构' } }),
      issued('cost-details', '费用明细清单', '就诊医疗机构', { source: { channel: '其他', issuer: '就诊医疗机构' } }),
      issued('discharge-summary', '出院小结或诊断证明', '就诊医疗机构', { when: '住院治疗的', source: { channel: '其他', issuer: '就诊医疗机构' } }),
      ...agentMaterials('参保人'),
    ],
    process: fourLinks({
      review: '审核费用真实性及是否属于医保支付范围。',
      approve: '按本市报销政策核定报销金额。',
      conclude: '报销款支付至参保人社会保障卡金融账户。',
    }),
    timeLimits: { statutoryWorkingDays: null, promisedWorkingDays: 20 },
    visits: 1,
    fee: free,
    faq: [{ q: '票据丢了怎么办？', a: '请到就诊医疗机构开具加盖公章的票据复印件和丢失说明，窗口按规定审核。' }],
    keywords: ['医保报销', '手工报销', '医药费报销', '垫付报销', '零星报销', '看病报销'],
    available24h: false,
  }),

  entry(desk, newService(desk, { id: 'maternity-allowance', code: 'YB-006', zh: '生育津贴申领', en: 'Maternity allowance', prefix: 'YF', dailyQuota: 60, windows }), {
    summary: '参加职工医保（生育保险）的职工生育或实施计划生育手术后，申领生育津贴。',
    summaryEn: 'Claim maternity allowance under the employee medical (maternity) insurance.',
    type: '行政给付',
    category: 'social-insurance',
    legalBasis: [{ law, article: '第五十四条' }, { law, article: '第五十六条' }],
    acceptanceConditions: ['用人单位已为职工缴纳生育保险费', '职工生育或实施计划生育手术'],
    materials: [
      idCard('职工'),
      issued('birth-certificate', '出生医学证明', '助产医疗机构', { form: '复印件', when: '生育的' }),
      issued('discharge-summary', '出院小结或诊断证明', '就诊医疗机构', { source: { channel: '其他', issuer: '就诊医疗机构' } }),
      own('bank-account', '用人单位银行账户信息', { when: '津贴发放至用人单位的', specialRequirements: '加盖单位公章' }),
    ],
    process: fourLinks({
      review: '核对参保缴费、生育信息和产假天数。',
      approve: '按用人单位上年度职工月平均工资核定津贴金额。',
      conclude: '津贴支付至用人单位或职工本人账户。',
    }),
    timeLimits: { statutoryWorkingDays: null, promisedWorkingDays: 10 },
    visits: 1,
    fee: free,
    faq: [{ q: '男职工有生育津贴吗？', a: '男职工享受的护理假津贴以本省规定为准；配偶生育医疗费用可按规定享受生育医疗待遇。' }],
    keywords: ['生育津贴', '产假工资', '生育保险', '产假', '生孩子报销'],
    available24h: false,
  }),
];
