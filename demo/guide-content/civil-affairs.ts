import type { Department } from '../../core/catalog/catalog.ts';
import { applicationForm, entry, fourLinks, free, idCard, issued, newService, onTheSpot, own, photo, step } from './common.ts';
import type { DemoEntry, Desk } from './common.ts';

export const civilAffairsDepartment: Department = {
  id: 'civil-affairs',
  name: { zh: '民政局（婚姻登记处）', en: 'Civil Affairs & Marriage Registry' },
  location: { zh: '二楼南区', en: '2F South' },
};

const desk: Desk = {
  department: civilAffairsDepartment,
  implementingBody: '市民政局',
  handlingUnit: '市婚姻登记处',
  consultPhone: '12345',
};
const assistanceUnit = '市民政局社会救助科';
const civilCode = '《中华人民共和国民法典》';
const marriageRegulation = '《婚姻登记条例》';
const marriageWindows: [string, string] = ['81–84号窗口', 'Counters 81–84'];
const bothIdCards = idCard('男女双方', { specialRequirements: '双方各自携带，原件核验后当场退还' });

export const civilAffairsEntries: DemoEntry[] = [
  entry(desk, newService(desk, { id: 'marriage-registration', code: 'MZ-001', zh: '结婚登记', en: 'Marriage registration', prefix: 'QA', dailyQuota: 100, windows: marriageWindows }), {
    summary: '要求结婚的男女双方亲自到婚姻登记机关申请结婚登记，当场领取结婚证。',
    summaryEn: 'Register your marriage together in person and receive the certificates on the spot.',
    type: '行政确认',
    category: 'civil-affairs',
    legalBasis: [{ law: civilCode, article: '第一千零四十九条' }, { law: marriageRegulation }],
    acceptanceConditions: [
      '男女双方完全自愿',
      '男方年满22周岁，女方年满20周岁',
      '双方均无配偶',
      '双方不是直系血亲或者三代以内的旁系血亲',
    ],
    materials: [
      bothIdCards,
      own('declaration', '无配偶及与对方无禁止结婚亲属关系的签字声明', { source: { channel: '申请人自备', issuer: '在登记处当场填写签署' } }),
      photo('photos', '双方近期半身免冠合影照片', '2寸，红色背景；登记处可现场拍摄', { copies: 3 }),
    ],
    process: [
      step('受理', '受理', '双方亲自到场，核对身份证件并当场签署声明。'),
      step('审核', '审核', '登记员询问双方意愿及相关情况。'),
      step('审批', '审批', '符合结婚条件的予以登记。'),
      step('办结', '办结', '当场发给结婚证，可自愿参加颁证仪式。'),
    ],
    timeLimits: { statutoryWorkingDays: 0, promisedWorkingDays: 0 },
    visits: 1,
    fee: free,
    faq: [
      { q: '还要带户口簿吗？', a: '不需要。自2025年5月10日起施行的修订后《婚姻登记条例》取消了户口簿要求，可在全国任一婚姻登记机关办理。' },
      { q: '520能办吗？', a: '能。特殊日期登记量大，建议通过网上预约选择时段。' },
    ],
    keywords: ['结婚', '领证', '结婚证', '登记结婚', '扯证', '婚姻登记'],
    available24h: false,
  }),

  entry(desk, newService(desk, { id: 'divorce-registration', code: 'MZ-002', zh: '离婚登记', en: 'Divorce registration', prefix: 'QB', dailyQuota: 40, windows: marriageWindows }), {
    summary: '夫妻双方自愿离婚并就子女、财产和债务处理达成一致的，亲自申请离婚登记；设有30日冷静期。',
    summaryEn: 'Mutual-consent divorce registration, with a 30-day cooling-off period.',
    type: '行政确认',
    category: 'civil-affairs',
    legalBasis: [{ law: civilCode, article: '第一千零七十六条' }, { law: civilCode, article: '第一千零七十七条' }, { law: marriageRegulation }],
    acceptanceConditions: ['双方自愿离婚', '对子女抚养、财产及债务处理等事项协商一致并签订书面离婚协议', '双方在内地登记结婚'],
    materials: [
      bothIdCards,
      issued('marriage-certificates', '双方的结婚证', '婚姻登记机关', { copies: 2 }),
      own('divorce-agreement', '书面离婚协议', { copies: 3, specialRequirements: '一式三份，双方签名；也可在登记处现场填写' }),
    ],
    process: [
      step('受理', '受理', '双方到场提交申请，领取离婚登记申请受理回执。'),
      step('特别程序', '离婚冷静期', '自登记机关收到申请之日起30日内，任何一方不愿意离婚的可撤回申请；期满后30日内双方应亲自到场申请发给离婚证，未申请的视为撤回。'),
      step('审核', '审核', '双方再次到场，登记员询问离婚意愿及协议内容。'),
      step('审批', '审批', '符合条件的予以登记。'),
      step('办结', '办结', '当场发给离婚证。'),
    ],
    timeLimits: { statutoryWorkingDays: null, promisedWorkingDays: 0, note: '冷静期30日届满后双方到场的，当场发给离婚证' },
    visits: 2,
    fee: free,
    faq: [{ q: '一方不同意能办吗？', a: '不能协议离婚的，可以向人民法院提起离婚诉讼。' }],
    keywords: ['离婚', '协议离婚', '离婚证', '离婚冷静期', '办离婚'],
    available24h: false,
  }),

  entry(desk, newService(desk, { id: 'marriage-certificate-reissue', code: 'MZ-003', zh: '补领婚姻登记证', en: 'Replacement marriage or divorce certificate', prefix: 'QC', dailyQuota: 40, windows: marriageWindows }), {
    summary: '结婚证、离婚证遗失或损毁的，当事人申请补领。',
    summaryEn: 'Replace a lost or damaged marriage or divorce certificate.',
    type: '行政确认',
    category: 'civil-affairs',
    legalBasis: [{ law: marriageRegulation }],
    acceptanceConditions: ['婚姻登记档案可查或能够证明婚姻登记事实', '结婚证、离婚证遗失或损毁'],
    materials: [
      idCard('当事人'),
      photo('photos', '近期半身免冠照片', '补领结婚证的提交双方合影照片，补领离婚证的提交本人单人照片；2寸', { copies: 2 }),
      issued('record-proof', '婚姻登记档案证明', '原婚姻登记机关或档案部门', { when: '本登记处查不到婚姻登记档案的' }),
    ],
    process: onTheSpot('补发婚姻登记证'),
    timeLimits: { statutoryWorkingDays: null, promisedWorkingDays: 0 },
    visits: 1,
    fee: free,
    faq: [{ q: '补结婚证需要两个人都来吗？', a: '补领结婚证可以由一方申请，但需提交双方合影照片。' }],
    keywords: ['补领结婚证', '结婚证丢了', '补办结婚证', '离婚证补办', '婚姻证明'],
    available24h: false,
  }),

  entry(desk, newService(desk, { id: 'subsistence-allowance', code: 'MZ-004', zh: '最低生活保障申请', en: 'Minimum living allowance (dibao)', prefix: 'QD', dailyQuota: 40, windows: ['85号窗口', 'Counter 85'] }), {
    summary: '共同生活的家庭成员人均收入低于本市低保标准、财产符合规定的家庭，申请最低生活保障。',
    summaryEn: 'Apply for the minimum living allowance if your household income is below the local threshold.',
    type: '行政给付',
    category: 'civil-affairs',
    handlingUnit: assistanceUnit,
    legalBasis: [{ law: '《社会救助暂行办法》', article: '第九条' }, { law: '《社会救助暂行办法》', article: '第十一条' }],
    acceptanceConditions: ['共同生活的家庭成员人均收入低于本市最低生活保障标准', '家庭财产状况符合本市规定'],
    materials: [
      applicationForm('subsistence-allowance', '最低生活保障申请书'),
      idCard('家庭成员'),
      issued('household-register', '户口簿', '户籍所在地派出所'),
      own('income-declaration', '家庭收入和财产申报表', { specialRequirements: '如实申报，家庭成员签字' }),
      own('consent', '家庭经济状况核对授权书', { specialRequirements: '家庭成员签字，授权核对存款、车辆、房产、社保等信息' }),
      issued('disability-proof', '残疾人证', '残疾人联合会', { when: '家庭成员有残疾的' }),
      issued('medical-proof', '病历或诊断证明', '医疗机构', { when: '家庭成员患重病的', source: { channel: '其他', issuer: '医疗机构' } }),
    ],
    process: fourLinks(
      { review: '审核家庭经济状况核对结果和调查情况。', approve: '作出批准或不予批准的决定；不予批准的书面说明理由。', conclude: '批准后自次月起按月发放低保金，并在社区长期公示。' },
      [
        { after: '受理', name: '入户调查', description: '工作人员到申请人家中了解生活状况，核实申报信息。' },
        { after: '审核', name: '公示', description: '审核意见在申请人所在村（社区）公示，公示期不计入办结时限。' },
      ],
    ),
    timeLimits: { statutoryWorkingDays: null, promisedWorkingDays: 20 },
    visits: 1,
    fee: free,
    faq: [{ q: '有工作收入还能申请吗？', a: '能否享受以家庭人均收入与低保标准的比较为准，就业收入按规定扣减必要的就业成本后计算。' }],
    keywords: ['低保', '最低生活保障', '生活困难', '社会救助', '困难补助'],
    available24h: false,
  }),

  entry(desk, newService(desk, { id: 'senior-allowance', code: 'MZ-005', zh: '高龄津贴申领', en: 'Allowance for people aged 80 and over', prefix: 'QE', dailyQuota: 60, windows: ['85号窗口', 'Counter 85'] }), {
    summary: '本市户籍年满80周岁的老年人申领高龄津贴，按月发放。',
    summaryEn: 'Monthly allowance for residents aged 80 and over.',
    type: '行政给付',
    category: 'civil-affairs',
    handlingUnit: '市民政局养老服务科',
    legalBasis: [{ law: '《中华人民共和国老年人权益保障法》', article: '第三十三条' }],
    acceptanceConditions: ['本市户籍', '年满80周岁'],
    materials: [
      idCard('老年人'),
      issued('ss-card', '社会保障卡或本人银行卡', '社会保障卡服务窗口或开户银行'),
      idCard('代办人', { id: 'agent-id-card', when: '由家属代为申领的' }),
    ],
    process: onTheSpot('登记发放信息，自次月起按月发放'),
    timeLimits: { statutoryWorkingDays: null, promisedWorkingDays: 0 },
    visits: 0,
    fee: free,
    faq: [{ q: '满80岁要自己来申请吗？', a: '本市已实行“免申即享”，系统自动识别并发放；满80周岁次月仍未到账的，家属可持身份证到窗口申请。' }],
    keywords: ['高龄津贴', '高龄补贴', '老人补贴', '80岁补贴', '老年津贴', '尊老金'],
    available24h: false,
  }),
];
