import type { Department } from '../../core/catalog/catalog.ts';
import { applicationForm, businessLicence, entry, fourLinks, free, idCard, issued, newService, onTheSpot, own, photo } from './common.ts';
import type { DemoEntry, Desk } from './common.ts';

export const healthDepartment: Department = {
  id: 'health',
  name: { zh: '卫生健康委员会', en: 'Health Commission' },
  location: { zh: '四楼东区', en: '4F East' },
};

const desk: Desk = {
  department: healthDepartment,
  implementingBody: '市卫生健康委员会',
  handlingUnit: '市卫生健康委员会行政审批科',
  consultPhone: '12320',
};
const windows: [string, string] = ['101–102号窗口', 'Counters 101–102'];

export const healthEntries: DemoEntry[] = [
  entry(desk, newService(desk, { id: 'physician-registration', code: 'WJ-001', zh: '医师执业注册', en: 'Physician practice registration', prefix: 'VA', dailyQuota: 40, windows }), {
    summary: '取得医师资格的人员申请执业注册，或变更执业地点、类别、范围。',
    summaryEn: 'Register to practise as a doctor, or change where and what you practise.',
    type: '行政许可',
    category: 'health',
    legalBasis: [{ law: '《中华人民共和国医师法》', article: '第十三条' }, { law: '《医师执业注册管理办法》' }],
    acceptanceConditions: ['已取得医师资格', '有拟执业的医疗卫生机构', '不属于不予注册的情形'],
    materials: [
      applicationForm('physician-registration', '医师执业注册申请审核表'),
      idCard(),
      issued('qualification', '医师资格证书', '卫生健康主管部门'),
      issued('health-check', '近6个月内的健康体检证明', '县级以上医疗机构', { source: { channel: '其他', issuer: '县级以上医疗机构' } }),
      issued('employment-proof', '拟执业医疗卫生机构的聘用证明', '拟执业医疗卫生机构', { source: { channel: '其他', issuer: '拟执业医疗卫生机构' } }),
      photo('photo', '近期免冠证件照', '1寸蓝底', { medium: '纸质或电子' }),
    ],
    process: fourLinks({ review: '核对资格证书、体检和聘用信息。', approve: '准予注册或书面说明不予注册的理由。', conclude: '发放医师执业证书（电子证照）。' }),
    timeLimits: { statutoryWorkingDays: 20, promisedWorkingDays: 5 },
    visits: 0,
    fee: free,
    faq: [{ q: '多机构执业要每家都注册吗？', a: '不需要。在主要执业机构注册后，其他执业机构进行备案即可。' }],
    keywords: ['医师注册', '执业注册', '医师执业证', '医生注册', '变更执业地点', '多点执业'],
    available24h: false,
  }),

  entry(desk, newService(desk, { id: 'clinic-filing', code: 'WJ-002', zh: '诊所备案', en: 'Clinic filing', prefix: 'VB', dailyQuota: 20, windows }), {
    summary: '举办诊所（含中医诊所）的，向卫生健康部门备案后即可开展诊疗活动。',
    summaryEn: 'File a new clinic with the health commission before it opens.',
    type: '其他行政权力',
    category: 'health',
    legalBasis: [{ law: '《医疗机构管理条例》' }, { law: '《诊所备案管理暂行办法》' }],
    acceptanceConditions: ['符合诊所基本标准', '诊所主要负责人取得医师执业证书，并经注册后在医疗卫生机构中执业满5年'],
    materials: [
      applicationForm('clinic-filing', '诊所备案信息表'),
      businessLicence({ when: '营利性诊所已办理营业执照的' }),
      own('premises', '房屋产权证明或租赁合同', { form: '复印件' }),
      issued('head-licence', '诊所主要负责人的医师执业证书', '卫生健康主管部门', { form: '复印件' }),
      own('staff-list', '卫生技术人员名录及其资格证书、执业证书', { form: '复印件' }),
      own('rules', '诊所规章制度'),
    ],
    process: onTheSpot('发放诊所备案凭证'),
    timeLimits: { statutoryWorkingDays: null, promisedWorkingDays: 0, note: '材料齐全的当场备案，备案后30日内进行现场核查' },
    visits: 1,
    fee: free,
    faq: [{ q: '备案完就能营业吗？', a: '能。取得备案凭证即可执业，卫生健康部门随后开展现场核查，不符合标准的责令整改。' }],
    keywords: ['诊所', '开诊所', '诊所备案', '个体诊所', '中医诊所'],
    available24h: false,
  }),

  entry(desk, newService(desk, { id: 'public-venue-hygiene', code: 'WJ-003', zh: '公共场所卫生许可', en: 'Public venue hygiene licence', prefix: 'VC', dailyQuota: 40, windows }), {
    summary: '宾馆、理发美容店、沐浴场所、游泳场馆等公共场所经营前申请卫生许可证。',
    summaryEn: 'Hygiene licence for hotels, hair salons, bath houses and swimming pools.',
    type: '行政许可',
    category: 'business-licensing',
    legalBasis: [{ law: '《公共场所卫生管理条例》', article: '第八条' }, { law: '《公共场所卫生管理条例实施细则》' }],
    acceptanceConditions: ['场所布局、卫生设施符合卫生标准和规范', '从业人员取得有效健康合格证明', '建立卫生管理制度，配备卫生管理人员'],
    materials: [
      applicationForm('public-venue-hygiene', '公共场所卫生许可申请表'),
      businessLicence(),
      idCard('法定代表人（负责人）'),
      own('floor-plan', '场所平面布局图和卫生设施设置说明'),
      issued('staff-health', '从业人员健康合格证明', '具备资质的体检机构', { source: { channel: '中介机构出具', issuer: '具备资质的体检机构' } }),
      own('hygiene-rules', '卫生管理制度'),
      issued('test-report', '卫生检测报告', '具备资质的检测机构', { when: '游泳场所、集中空调通风系统等需要检测的', source: { channel: '中介机构出具', issuer: '具备资质的检测机构' } }),
    ],
    process: fourLinks(
      { review: '审查材料并安排现场审查。', approve: '符合条件的作出准予许可决定。', conclude: '核发公共场所卫生许可证。' },
      [{ after: '审核', name: '现场审查', description: '卫生监督员到场核查布局和卫生设施；审查时间不计入办结时限。' }],
    ),
    timeLimits: { statutoryWorkingDays: 20, promisedWorkingDays: 5 },
    visits: 1,
    fee: free,
    faq: [{ q: '可以先营业后检查吗？', a: '本市对部分场所实行告知承诺制，申请人书面承诺符合条件的可当场发证，随后核查。' }],
    keywords: ['卫生许可证', '公共场所卫生', '理发店', '美容院', '宾馆', '浴室', '游泳馆'],
    available24h: false,
  }),

  entry(desk, newService(desk, { id: 'birth-service-registration', code: 'WJ-004', zh: '生育登记服务', en: 'Birth planning registration', prefix: 'VD', dailyQuota: 60, windows }), {
    summary: '夫妻生育子女的，办理生育登记，便于享受孕产期保健和生育支持政策。',
    summaryEn: 'Register a pregnancy or birth to access prenatal care and family support.',
    type: '公共服务',
    category: 'health',
    handlingUnit: '市卫生健康委员会人口家庭科',
    legalBasis: [{ law: '《中华人民共和国人口与计划生育法》' }],
    acceptanceConditions: ['一方为本市户籍或在本市居住'],
    materials: [
      idCard('夫妻双方'),
      issued('household-register', '户口簿或居住证', '公安派出所'),
    ],
    process: onTheSpot('完成生育登记并出具登记凭证'),
    timeLimits: { statutoryWorkingDays: null, promisedWorkingDays: 0 },
    visits: 0,
    fee: free,
    faq: [{ q: '一定要到窗口吗？', a: '不用。可在网上办事大厅或手机端登记，登记凭证可自行下载。' }],
    keywords: ['生育登记', '准生证', '生育服务证', '怀孕登记', '建档'],
    available24h: false,
  }),
];
