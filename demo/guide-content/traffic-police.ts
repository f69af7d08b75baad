import type { Department } from '../../core/catalog/catalog.ts';
import { entry, fourLinks, free, idCard, issued, newService, onTheSpot, step } from './common.ts';
import type { DemoEntry, Desk } from './common.ts';

export const trafficPoliceDepartment: Department = {
  id: 'traffic-police',
  name: { zh: '公安交通管理（车驾管）', en: 'Traffic Police: Vehicles & Licences' },
  location: { zh: '二楼北区', en: '2F North' },
};

const desk: Desk = {
  department: trafficPoliceDepartment,
  implementingBody: '市公安局交通警察支队',
  handlingUnit: '市公安局交通警察支队车辆管理所驻中心窗口',
  consultPhone: '12345',
};
const roadLaw = '《中华人民共和国道路交通安全法》';
const drivingLicence = issued('driving-licence', '机动车驾驶证', '公安机关交通管理部门');

export const trafficPoliceEntries: DemoEntry[] = [
  entry(desk, newService(desk, { id: 'driving-licence-renewal', code: 'JJ-001', zh: '机动车驾驶证期满换证', en: 'Driving licence renewal', prefix: 'WA', dailyQuota: 150, windows: ['61–62号窗口', 'Counters 61–62'] }), {
    summary: '机动车驾驶证有效期满前90日内申请换领新证，可在自助机办理。',
    summaryEn: 'Renew your driving licence within 90 days before it expires; self-service machines can do it.',
    type: '行政许可',
    category: 'transport',
    legalBasis: [{ law: roadLaw, article: '第十九条' }, { law: '《机动车驾驶证申领和使用规定》' }],
    acceptanceConditions: ['驾驶证有效期满前90日内申请', '驾驶证未被暂扣、扣留或吊销'],
    materials: [
      idCard(),
      drivingLicence,
      issued('health-certificate', '身体条件证明', '县级以上医疗机构', {
        specialRequirements: '已通过医疗机构联网上传电子体检信息的无需提交纸质证明',
        source: { channel: '其他', issuer: '县级以上医疗机构' },
      }),
    ],
    process: onTheSpot('核发新驾驶证'),
    timeLimits: { statutoryWorkingDays: null, promisedWorkingDays: 0 },
    visits: 1,
    fee: { charged: true, basis: '国家发展改革委、财政部核定的机动车驾驶证工本费标准', standard: '每证10元' },
    faq: [{ q: '驾驶证过期了还能换吗？', a: '超过有效期不满一年的，可以申请换证；超过一年的将被注销，需在注销后两年内申请恢复驾驶资格。' }],
    keywords: ['驾驶证换证', '驾照到期', '换驾照', '驾照过期', '驾驶证期满', '驾照'],
    available24h: true,
  }),

  entry(desk, newService(desk, { id: 'vehicle-transfer', code: 'JJ-002', zh: '机动车转移登记', en: 'Vehicle ownership transfer', prefix: 'WB', dailyQuota: 100, windows: ['63–64号窗口', 'Counters 63–64'] }), {
    summary: '机动车所有权转移（二手车买卖、赠与等）的，办理转移登记（过户）。',
    summaryEn: 'Transfer a vehicle to its new owner after a sale or gift.',
    type: '行政许可',
    category: 'transport',
    legalBasis: [{ law: roadLaw, article: '第十二条' }, { law: '《机动车登记规定》' }],
    acceptanceConditions: ['机动车已交付，且未被查封、抵押或有未处理的交通违法记录', '新所有人住所在本市或持本市居住证'],
    materials: [
      idCard('现机动车所有人'),
      issued('registration-certificate', '机动车登记证书', '公安机关交通管理部门'),
      issued('vehicle-licence', '机动车行驶证', '公安机关交通管理部门'),
      issued('transfer-invoice', '二手车销售统一发票或其他所有权转移证明', '二手车交易市场或经销企业', { source: { channel: '其他', issuer: '二手车交易市场或经销企业' } }),
    ],
    process: [
      step('受理', '受理', '核对双方身份和车辆证件。'),
      step('特别程序', '机动车查验', '在查验区核对车辆识别代号、外观和安全装置；查验时间不计入办结时限。'),
      step('审核', '审核', '核对查验结论和所有权转移证明。'),
      step('审批', '审批', '符合条件的办理转移登记。'),
      step('办结', '办结', '签注登记证书，核发新行驶证；需更换号牌的当场选号。'),
    ],
    timeLimits: { statutoryWorkingDays: null, promisedWorkingDays: 0 },
    visits: 1,
    fee: { charged: true, basis: '国家发展改革委、财政部核定的机动车号牌和行驶证工本费标准', standard: '行驶证每证10元；需更换号牌的另按号牌工本费标准收取' },
    faq: [{ q: '车辆有违章能过户吗？', a: '不能。需先处理完交通违法记录和未缴罚款，再办理转移登记。' }],
    keywords: ['过户', '车辆过户', '二手车过户', '汽车过户', '转移登记', '卖车'],
    available24h: false,
  }),

  entry(desk, newService(desk, { id: 'traffic-violation', code: 'JJ-003', zh: '交通违法处理', en: 'Traffic offence handling', prefix: 'WC', dailyQuota: 200, windows: ['65号窗口', 'Counter 65'] }), {
    summary: '处理交通技术监控设备记录的道路交通安全违法行为，接受处罚并缴纳罚款。',
    summaryEn: 'Settle camera-recorded traffic offences and pay the fine.',
    type: '行政处罚',
    category: 'transport',
    legalBasis: [{ law: roadLaw, article: '第八十七条' }, { law: '《道路交通安全违法行为处理程序规定》' }],
    acceptanceConditions: ['有未处理的交通违法记录', '机动车驾驶人本人或机动车所有人处理'],
    materials: [
      idCard('驾驶人'),
      drivingLicence,
      issued('vehicle-licence', '机动车行驶证', '公安机关交通管理部门', { when: '以机动车所有人身份处理的' }),
    ],
    process: fourLinks({
      review: '核对违法记录和当事人陈述，告知处罚事实、理由及依据。',
      approve: '作出行政处罚决定。',
      conclude: '当场交付处罚决定书，罚款可在线缴纳。',
      accept: '调取违法记录，核对驾驶人和车辆信息。',
    }),
    timeLimits: { statutoryWorkingDays: null, promisedWorkingDays: 0 },
    visits: 0,
    fee: free,
    faq: [
      { q: '罚款算收费吗？', a: '罚款是行政处罚，不属于办事收费；处理本身不收取任何费用。' },
      { q: '对违法记录有异议怎么办？', a: '可以当场陈述申辩，也可以在收到处罚决定书后依法申请行政复议或提起行政诉讼。' },
    ],
    keywords: ['违章', '处理违章', '交通违法', '罚款', '扣分', '电子眼'],
    available24h: true,
  }),
];
