import type { Department } from '../../core/catalog/catalog.ts';
import { applicationForm, businessLicence, entry, fourLinks, free, idCard, issued, newService, own, photo } from './common.ts';
import type { DemoEntry, Desk } from './common.ts';

export const transportDepartment: Department = {
  id: 'transport',
  name: { zh: '交通运输局', en: 'Transport Bureau' },
  location: { zh: '四楼西区', en: '4F West' },
};

const desk: Desk = {
  department: transportDepartment,
  implementingBody: '市交通运输局',
  handlingUnit: '市交通运输局行政审批科',
  consultPhone: '12328',
};
const windows: [string, string] = ['111–112号窗口', 'Counters 111–112'];
const ridesRules = '《网络预约出租汽车经营服务管理暂行办法》';

export const transportEntries: DemoEntry[] = [
  entry(desk, newService(desk, { id: 'road-freight-permit', code: 'JT-001', zh: '道路货物运输经营许可', en: 'Road freight operating permit', prefix: 'TA', dailyQuota: 30, windows }), {
    summary: '从事道路普通货运、危险货物以外的货物运输经营的，申请道路运输经营许可证。',
    summaryEn: 'Permit to run a road haulage business.',
    type: '行政许可',
    category: 'transport',
    legalBasis: [{ law: '《中华人民共和国道路运输条例》', article: '第二十一条' }, { law: '《道路货物运输及站场管理规定》' }],
    acceptanceConditions: [
      '有与其经营业务相适应并经检测合格的车辆',
      '有符合规定条件的驾驶人员',
      '有健全的安全生产管理制度',
    ],
    materials: [
      applicationForm('road-freight-permit', '道路货物运输经营申请表'),
      businessLicence({ form: '复印件' }),
      own('vehicles', '拟投入车辆情况说明及行驶证', { specialRequirements: '尚未购置车辆的提交购置车辆承诺书' }),
      issued('driver-qualification', '驾驶人员的从业资格证', '交通运输主管部门', { form: '复印件' }),
      own('safety-rules', '安全生产管理制度文本'),
    ],
    process: fourLinks({ review: '审查车辆、驾驶人员和安全管理制度。', approve: '作出许可或不予许可的决定。', conclude: '核发道路运输经营许可证，车辆配发道路运输证。' }),
    timeLimits: { statutoryWorkingDays: 20, promisedWorkingDays: 5 },
    visits: 1,
    fee: free,
    faq: [{ q: '开4.5吨以下的小货车也要办吗？', a: '使用总质量4500千克及以下普通货运车辆从事普通货运经营的，无需办理道路运输经营许可证和车辆营运证。' }],
    keywords: ['道路运输许可证', '货运许可', '物流公司', '货车运营', '道路运输经营许可证', '运输证'],
    available24h: false,
  }),

  entry(desk, newService(desk, { id: 'taxi-driver-qualification', code: 'JT-002', zh: '出租汽车驾驶员从业资格证核发', en: 'Taxi and ride-hailing driver certificate', prefix: 'TB', dailyQuota: 60, windows }), {
    summary: '从事巡游出租汽车或网约车客运服务的驾驶员，考试合格后申领从业资格证。',
    summaryEn: 'Professional certificate for taxi and ride-hailing drivers, issued after an exam.',
    type: '行政许可',
    category: 'transport',
    legalBasis: [{ law: '《出租汽车驾驶员从业资格管理规定》' }, { law: ridesRules }],
    acceptanceConditions: [
      '取得相应准驾车型机动车驾驶证并具有3年以上驾驶经历',
      '无交通肇事犯罪、危险驾驶犯罪记录，无吸毒记录，无饮酒后驾驶记录，最近连续3个记分周期内没有记满12分记录',
      '无暴力犯罪记录',
      '出租汽车驾驶员从业资格考试合格',
    ],
    materials: [
      applicationForm('taxi-driver-qualification', '出租汽车驾驶员从业资格申请表'),
      idCard(),
      issued('driving-licence', '机动车驾驶证', '公安机关交通管理部门'),
      photo('photo', '近期免冠证件照', '1寸白底', { medium: '纸质或电子' }),
    ],
    process: fourLinks(
      { review: '核查驾驶经历及犯罪、吸毒、酒驾和记分记录。', approve: '考试合格且符合条件的准予核发。', conclude: '发放从业资格证（电子证照同步生成）。' },
      [{ after: '受理', name: '从业资格考试', description: '参加全国公共科目和本市区域科目考试，考试时间不计入办结时限。' }],
    ),
    timeLimits: { statutoryWorkingDays: 20, promisedWorkingDays: 5 },
    visits: 2,
    fee: free,
    faq: [{ q: '开网约车要考哪些？', a: '网约车驾驶员同样参加全国公共科目和区域科目考试，合格后取得网约车驾驶员从业资格证。' }],
    keywords: ['网约车司机', '出租车司机', '从业资格证', '网约车驾驶员证', '的哥', '双证'],
    available24h: false,
  }),

  entry(desk, newService(desk, { id: 'ride-hailing-vehicle', code: 'JT-003', zh: '网络预约出租汽车运输证核发', en: 'Ride-hailing vehicle permit', prefix: 'TC', dailyQuota: 60, windows }), {
    summary: '拟从事网约车经营的车辆，由车辆所有人或网约车平台公司申请网络预约出租汽车运输证。',
    summaryEn: 'Vehicle permit for cars used for ride-hailing.',
    type: '行政许可',
    category: 'transport',
    legalBasis: [{ law: ridesRules, article: '第十二条' }, { law: ridesRules, article: '第十三条' }],
    acceptanceConditions: [
      '7座及以下乘用车',
      '安装具有行驶记录功能的车辆卫星定位装置和应急报警装置',
      '车辆技术性能符合运营安全相关标准要求',
    ],
    materials: [
      applicationForm('ride-hailing-vehicle', '网络预约出租汽车运输证申请表'),
      issued('vehicle-licence', '机动车行驶证', '公安机关交通管理部门'),
      idCard('车辆所有人'),
      issued('device-proof', '卫星定位和应急报警装置安装证明', '设备安装单位', { source: { channel: '中介机构出具', issuer: '设备安装单位' } }),
      own('platform-agreement', '与网约车平台公司的合作协议', { when: '个人车辆接入平台经营的', form: '复印件' }),
    ],
    process: fourLinks({ review: '核查车辆条件及装置联网情况。', approve: '符合条件的准予核发。', conclude: '发放网络预约出租汽车运输证。' }),
    timeLimits: { statutoryWorkingDays: 20, promisedWorkingDays: 5 },
    visits: 1,
    fee: free,
    faq: [{ q: '私家车可以办吗？', a: '符合本市网约车车辆技术标准的私家车可以申请，使用性质将登记为预约出租客运。' }],
    keywords: ['网约车', '网约车运输证', '车辆运输证', '跑滴滴', '营运证', '网约车双证'],
    available24h: false,
  }),
];
