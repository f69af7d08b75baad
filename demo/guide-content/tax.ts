import type { Department } from '../../core/catalog/catalog.ts';
import { agentMaterials, businessLicence, entry, free, idCard, onTheSpot, own, newService, selfServiceHours } from './common.ts';
import type { DemoEntry, Desk } from './common.ts';

export const taxDepartment: Department = {
  id: 'tax',
  name: { zh: '税务局（办税服务厅）', en: 'Taxation Bureau' },
  location: { zh: '一楼南区', en: '1F South' },
};

const desk: Desk = {
  department: taxDepartment,
  implementingBody: '市税务局',
  handlingUnit: '市税务局驻中心办税服务厅',
  consultPhone: '12366',
};
const collectionLaw = '《中华人民共和国税收征收管理法》';
const windows: [string, string] = ['91–96号窗口', 'Counters 91–96'];

export const taxEntries: DemoEntry[] = [
  entry(desk, newService(desk, { id: 'new-taxpayer', code: 'SW-001', zh: '新办纳税人涉税事项套餐', en: 'Tax set-up for new businesses', prefix: 'XA', dailyQuota: 120, windows }), {
    summary: '新开办企业和个体工商户一次办结信息确认、税种认定、发票票种核定和数电发票开通等首次涉税事项。',
    summaryEn: 'One visit to confirm tax details, register tax types and start issuing digital invoices.',
    type: '公共服务',
    category: 'business-startup',
    legalBasis: [{ law: collectionLaw, article: '第十五条' }],
    acceptanceConditions: ['已领取营业执照'],
    materials: [
      businessLicence(),
      idCard('法定代表人（负责人）或办税人员', { specialRequirements: '办税人员须已完成实名认证' }),
      ...agentMaterials('法定代表人'),
    ],
    process: onTheSpot('完成套餐事项，开通电子税务局账户和数电发票'),
    timeLimits: { statutoryWorkingDays: null, promisedWorkingDays: 0 },
    visits: 0,
    fee: free,
    faq: [{ q: '还需要办税务登记证吗？', a: '不需要。实行“多证合一”后营业执照即为税务登记证件，只需确认登记信息。' }],
    keywords: ['税务登记', '新办企业税务', '税务报到', '开通发票', '数电票', '新办纳税人'],
    available24h: false,
  }),

  entry(desk, newService(desk, { id: 'invoice', code: 'SW-002', zh: '发票领用', en: 'Invoice issuance', prefix: 'XB', dailyQuota: 200, windows }), {
    summary: '纳税人领用纸质发票，或调整数电发票开票额度；也可申请代开发票。',
    summaryEn: 'Obtain paper invoices, adjust your digital invoicing limit or have an invoice issued for you.',
    type: '其他行政权力',
    category: 'tax',
    legalBasis: [{ law: '《中华人民共和国发票管理办法》' }],
    acceptanceConditions: ['已完成票种核定', '无未按期申报、未缴税款等违法未处理情形'],
    materials: [idCard('办税人员', { specialRequirements: '已完成实名认证' }), own('tax-device', '税务UKey', { when: '领用纸质发票且使用税控设备的' })],
    process: onTheSpot('发放发票或调整开票额度'),
    timeLimits: { statutoryWorkingDays: null, promisedWorkingDays: 0 },
    visits: 0,
    fee: free,
    faq: [{ q: '数电发票还用领吗？', a: '不用。数电发票无需领用，按开票额度在电子税务局直接开具；额度不够可申请调整。' }],
    keywords: ['发票', '领发票', '申领发票', '数电票', '开发票', '代开发票'],
    available24h: true,
  }),

  entry(desk, newService(desk, { id: 'income-tax-annual', code: 'SW-003', zh: '个人所得税综合所得年度汇算', en: 'Annual individual income tax reconciliation', prefix: 'XC', dailyQuota: 300, windows }), {
    summary: '居民个人取得综合所得需要补税或申请退税的，在次年3月1日至6月30日办理年度汇算。',
    summaryEn: 'Annual reconciliation of individual income tax, between 1 March and 30 June; claim refunds here.',
    type: '公共服务',
    category: 'tax',
    legalBasis: [{ law: '《中华人民共和国个人所得税法》', article: '第十一条' }],
    acceptanceConditions: ['居民个人上年度取得综合所得', '需要补税，或预缴税额高于应纳税额申请退税'],
    materials: [
      idCard('纳税人'),
      own('bank-card', '本人银行卡', { when: '申请退税的', specialRequirements: '本人名下境内一类账户' }),
      own('deduction-proof', '专项附加扣除相关资料', { when: '补充填报专项附加扣除的', specialRequirements: '如子女教育、住房贷款、赡养老人等信息，由纳税人留存备查' }),
    ],
    process: onTheSpot('完成申报；有退税的提交退税申请，审核后退至本人账户'),
    timeLimits: { statutoryWorkingDays: null, promisedWorkingDays: 0, note: '汇算期为每年3月1日至6月30日；退税审核时间视情况而定' },
    visits: 0,
    fee: free,
    hours: `汇算期每年3月1日至6月30日。${selfServiceHours}`,
    faq: [{ q: '自己不会填怎么办？', a: '可以在自助办税终端或窗口由工作人员辅导填报，也可以通过个人所得税App办理。' }],
    keywords: ['个税', '个人所得税', '退税', '汇算', '个税退税', '年度汇算', '个税APP'],
    available24h: true,
  }),

  entry(desk, newService(desk, { id: 'deed-tax', code: 'SW-004', zh: '契税申报', en: 'Deed tax filing', prefix: 'XD', dailyQuota: 150, windows: ['51–56号窗口（不动产一窗）', 'Counters 51–56 (with property registration)'] }), {
    summary: '承受土地、房屋权属的单位和个人，在办理不动产登记前申报缴纳契税。',
    summaryEn: 'File and pay deed tax on a property before registering it.',
    type: '行政征收',
    category: 'tax',
    legalBasis: [{ law: '《中华人民共和国契税法》', article: '第九条' }, { law: '《中华人民共和国契税法》', article: '第十条' }],
    acceptanceConditions: ['已签订土地、房屋权属转移合同', '在办理不动产权属登记前申报'],
    materials: [
      own('transfer-contract', '房屋、土地权属转移合同'),
      idCard('承受方'),
      own('marital-status', '婚姻状况证明', { when: '申请家庭住房优惠税率的', specialRequirements: '结婚证或离婚证' }),
    ],
    process: onTheSpot('核定并缴纳契税，完税信息推送不动产登记'),
    timeLimits: { statutoryWorkingDays: null, promisedWorkingDays: 0 },
    visits: 1,
    fee: free,
    faq: [{ q: '首套房契税多少？', a: '个人购买家庭唯一住房，面积90平方米及以下的减按1%征收，90平方米以上的减按1.5%征收；以窗口核定为准。' }],
    keywords: ['契税', '交契税', '买房交税', '房产税费', '房屋契税'],
    available24h: false,
  }),

  entry(desk, newService(desk, { id: 'tax-certificate', code: 'SW-005', zh: '开具税收完税证明', en: 'Tax payment certificate', prefix: 'XE', dailyQuota: 200, windows }), {
    summary: '纳税人开具已缴税款的完税证明或个人所得税纳税记录，用于贷款、落户、出国等。',
    summaryEn: 'Print proof of taxes paid or your individual income tax record.',
    type: '公共服务',
    category: 'tax',
    legalBasis: [{ law: collectionLaw, article: '第三十四条' }],
    acceptanceConditions: ['已缴纳税款'],
    materials: [idCard('纳税人')],
    process: onTheSpot('打印完税证明或纳税记录'),
    timeLimits: { statutoryWorkingDays: null, promisedWorkingDays: 0 },
    visits: 0,
    fee: free,
    faq: [{ q: '纳税记录和完税证明有什么区别？', a: '个人所得税纳税记录反映个税的申报缴纳情况，完税证明可证明任一税种已缴纳；两者都可在自助机打印。' }],
    keywords: ['完税证明', '纳税证明', '纳税记录', '个税证明', '开证明'],
    available24h: true,
  }),
];
