import {
  agentMaterials, department, entry, existingService, fourLinks, free, idCard, issued, newService,
  onTheSpot, own, photo, saturdayHours,
} from './common.ts';
import type { DemoEntry, Desk } from './common.ts';

const desk: Desk = {
  department: department('public-security'),
  implementingBody: '市公安局',
  handlingUnit: '市公安局户政管理支队驻中心窗口',
  consultPhone: '12345',
  hours: saturdayHours,
};
const exitEntryUnit = '市公安局出入境管理支队驻中心窗口';
const householdRegister = issued('household-register', '居民户口簿', '户籍所在地派出所');
const registrationRegulation = '《中华人民共和国户口登记条例》';

export const publicSecurityEntries: DemoEntry[] = [
  entry(desk, existingService('residence-permit'), {
    summary: '离开户口所在地到本市居住半年以上，符合就业、住所或就读条件之一的，申领居住证。',
    summaryEn: 'Residence permit for people from elsewhere who have lived here for six months with a job, home or school place.',
    type: '行政许可',
    category: 'identity',
    legalBasis: [{ law: '《居住证暂行条例》', article: '第二条' }, { law: '《居住证暂行条例》', article: '第九条' }],
    acceptanceConditions: ['已在本市办理居住登记满半年', '有合法稳定就业、合法稳定住所、连续就读条件之一'],
    materials: [
      idCard(),
      photo('photo', '近期免冠证件照', '窗口现场免费采集'),
      own('residence-proof', '居住地住址证明', { specialRequirements: '已备案的房屋租赁合同，或本人及近亲属的不动产权证书', form: '原件及复印件' }),
      own('employment-proof', '就业证明', { when: '以就业条件申领的', specialRequirements: '劳动合同或营业执照，及在本市的社保缴纳记录' }),
      issued('school-proof', '就读证明', '就读学校', { when: '以就读条件申领的', source: { channel: '其他', issuer: '就读学校' } }),
      idCard('监护人', { id: 'guardian-id-card', when: '未满16周岁由监护人代为申领的' }),
    ],
    process: fourLinks({
      review: '核查居住登记时间及就业、住所或就读证明。',
      approve: '符合条件的准予签发居住证。',
      conclude: '制证后到原受理窗口领取，也可选择免费邮寄。',
    }),
    timeLimits: { statutoryWorkingDays: 15, promisedWorkingDays: 7 },
    visits: 1,
    fee: free,
    faq: [
      { q: '居住证要年年续吗？', a: '居住证每年签注一次，可在自助机或网上签注，逾期未签注的暂停使用。' },
      { q: '居住证能办哪些事？', a: '可在本市享受义务教育、基本公共就业服务、基本医疗卫生服务等，并可在本市办理出入境证件和机动车登记。' },
    ],
    keywords: ['居住证', '暂住证', '办居住证', '居住登记', '外地人', '流动人口'],
    available24h: false,
  }),

  entry(desk, existingService('exit-entry'), {
    summary: '中国公民因私出国（境），申请普通护照、往来港澳通行证、往来台湾通行证及签注。',
    summaryEn: 'Apply for a passport, Hong Kong/Macao or Taiwan travel permit, or an endorsement.',
    type: '行政许可',
    category: 'identity',
    handlingUnit: exitEntryUnit,
    legalBasis: [{ law: '《中华人民共和国护照法》', article: '第五条' }, { law: '《中华人民共和国护照法》', article: '第六条' }, { law: '《中华人民共和国出境入境管理法》', article: '第九条' }],
    acceptanceConditions: ['中国公民因私出境', '不属于法律规定不准出境的情形'],
    materials: [
      idCard('申请人', { specialRequirements: '原件核验后当场退还；在全国任一出入境窗口均可申请，无需户口簿' }),
      photo('photo', '出入境证件照片', '窗口现场采集，无需自带'),
      issued('employer-approval', '所在单位出具的审批意见', '所在单位人事部门', { when: '登记备案的国家工作人员申请的', source: { channel: '其他', issuer: '所在单位人事部门' } }),
      idCard('监护人', { id: 'guardian-id-card', when: '未满16周岁由监护人陪同申请的' }),
    ],
    process: fourLinks({
      review: '核查身份信息和出境限制情况。',
      approve: '符合条件的签发出入境证件。',
      conclude: '到受理窗口领取证件，也可选择邮寄。',
    }),
    timeLimits: { statutoryWorkingDays: 15, promisedWorkingDays: 7 },
    visits: 1,
    fee: {
      charged: true,
      basis: '《国家发展改革委 财政部关于降低部分行政事业性收费标准的通知》（发改价格〔2019〕914号）',
      standard: '普通护照每本120元；往来港澳通行证（卡式）每证60元；签注每次15元',
    },
    faq: [
      { q: '去香港旅游要办什么？', a: '办理往来港澳通行证并加注个人旅游签注；已有有效通行证的，在自助机上即可办理签注。' },
      { q: '护照快过期了怎么办？', a: '有效期不足6个月或签证页即将用完的，可申请换发。' },
    ],
    keywords: ['护照', '办护照', '港澳通行证', '台湾通行证', '签注', '出国', '去香港', '出入境'],
    available24h: false,
  }),

  entry(desk, newService(desk, { id: 'id-card', code: 'GA-003', zh: '居民身份证申领换领补领', en: 'Resident identity card', prefix: 'PA', dailyQuota: 200, windows: ['41–44号窗口', 'Counters 41–44'] }), {
    summary: '首次申领、有效期满换领、损坏换领、遗失补领居民身份证，可办理临时居民身份证。',
    summaryEn: 'Apply for, renew or replace your resident identity card.',
    type: '行政确认',
    category: 'identity',
    legalBasis: [{ law: '《中华人民共和国居民身份证法》', article: '第八条' }],
    acceptanceConditions: ['年满16周岁的公民应当申领；未满16周岁的可以申领', '有效期满、证件损坏或登记项目变更的换领；遗失的补领'],
    materials: [
      householdRegister,
      issued('old-id-card', '原居民身份证', '户籍所在地公安机关', { when: '换领的' }),
      photo('photo', '身份证照片', '窗口现场采集人像和指纹'),
    ],
    process: fourLinks({
      review: '核对户籍信息，现场采集人像和指纹。',
      approve: '户籍所在地公安机关签发。',
      conclude: '制证后领取或免费邮寄；急需的可同时申领临时居民身份证。',
    }),
    timeLimits: { statutoryWorkingDays: null, promisedWorkingDays: 15, note: '法定时限：受理之日起60日内发放居民身份证' },
    visits: 1,
    fee: {
      charged: true,
      basis: '《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》（发改价格〔2003〕2322号）',
      standard: '申领、换领每证20元；丢失补领或损坏换领每证40元；临时居民身份证每证10元',
    },
    faq: [{ q: '外地户口能在这里换身份证吗？', a: '能。居民身份证换领、补领已实行全国通办，跨省办理的按规定领证时间可能稍长。' }],
    keywords: ['身份证', '办身份证', '换身份证', '补办身份证', '身份证丢了', '身份证过期', '临时身份证'],
    available24h: false,
  }),

  entry(desk, newService(desk, { id: 'hukou-move-in', code: 'GA-004', zh: '户口迁入', en: 'Household registration transfer (hukou)', prefix: 'PB', dailyQuota: 80, windows: ['41–44号窗口', 'Counters 41–44'] }), {
    summary: '符合本市落户条件的人员，办理户口迁入；省内迁移网上流转，无需回原籍开迁移证。',
    summaryEn: 'Move your household registration (hukou) to this city if you meet the settlement rules.',
    type: '行政许可',
    category: 'identity',
    legalBasis: [{ law: registrationRegulation, article: '第十三条' }],
    acceptanceConditions: ['符合本市购房、就业、人才引进或投靠亲属等落户条件之一'],
    materials: [
      idCard(),
      householdRegister,
      issued('title-certificate', '不动产权证书', '不动产登记机构', { when: '以购房条件落户的', form: '复印件' }),
      own('labour-contract', '劳动合同及社保缴纳记录', { when: '以就业条件落户的' }),
      issued('graduation-certificate', '毕业证书', '毕业院校', { when: '高校毕业生落户的', form: '原件及复印件' }),
      issued('kinship-proof', '亲属关系证明（结婚证、出生医学证明等）', '婚姻登记机关或助产医疗机构', { when: '投靠亲属落户的' }),
    ],
    process: fourLinks({
      review: '审查落户依据材料，必要时核实居住情况。',
      approve: '准予迁入的开具准予迁入证明或直接网上办理迁移。',
      conclude: '在迁入地户口簿上登记，领取新户口簿页。',
    }),
    timeLimits: { statutoryWorkingDays: 20, promisedWorkingDays: 5 },
    visits: 1,
    fee: free,
    faq: [{ q: '孩子可以随父母迁入吗？', a: '可以。未成年子女可随父母一方一同迁入，提交出生医学证明即可。' }],
    keywords: ['落户', '户口迁移', '迁户口', '户口迁入', '人才落户', '投靠落户', '买房落户'],
    available24h: false,
  }),

  entry(desk, newService(desk, { id: 'birth-registration', code: 'GA-005', zh: '出生登记', en: 'Birth registration (newborn hukou)', prefix: 'PC', dailyQuota: 60, windows: ['41–44号窗口', 'Counters 41–44'] }), {
    summary: '婴儿出生后，由父母或监护人为其申报出生登记（新生儿落户）。',
    summaryEn: 'Register a newborn in the household register.',
    type: '行政确认',
    category: 'identity',
    legalBasis: [{ law: registrationRegulation, article: '第七条' }],
    acceptanceConditions: ['婴儿出生后一个月内申报为宜；超过期限的仍可申报'],
    materials: [
      issued('birth-certificate', '出生医学证明', '助产医疗机构'),
      householdRegister,
      idCard('父母双方'),
      issued('marriage-certificate', '结婚证', '婚姻登记机关', { when: '父母已登记结婚的' }),
    ],
    process: onTheSpot('在户口簿上登记并打印新生儿户口页'),
    timeLimits: { statutoryWorkingDays: null, promisedWorkingDays: 0 },
    visits: 1,
    fee: free,
    faq: [{ q: '可以一次办好医保和社保卡吗？', a: '可以。新生儿“出生一件事”在本窗口同时受理出生登记、医保参保和社保卡申领。' }],
    keywords: ['新生儿落户', '宝宝上户口', '报户口', '上户口', '新生儿户口', '出生登记'],
    available24h: false,
  }),

  entry(desk, newService(desk, { id: 'no-criminal-record', code: 'GA-006', zh: '无犯罪记录证明', en: 'Certificate of no criminal record', prefix: 'PD', dailyQuota: 150, windows: ['41–44号窗口', 'Counters 41–44'] }), {
    summary: '个人因就业、出国（境）、入学等需要，申请开具本人无犯罪记录证明。',
    summaryEn: 'Certificate stating that you have no criminal record, for jobs or visas.',
    type: '公共服务',
    category: 'identity',
    legalBasis: [{ law: '《公安机关办理犯罪记录查询工作规定》' }],
    acceptanceConditions: ['本市户籍人员或在本市居住的人员'],
    materials: [idCard(), ...agentMaterials()],
    process: onTheSpot('查询并出具证明'),
    timeLimits: { statutoryWorkingDays: 3, promisedWorkingDays: 0, note: '需要核实的，3个工作日内出具' },
    visits: 1,
    fee: free,
    faq: [{ q: '网上能开吗？', a: '能。通过本中心网上办事大厅申请，证明以电子文件发送，扫码可核验。' }],
    keywords: ['无犯罪记录证明', '无犯罪证明', '良民证', '犯罪记录查询', '出国证明'],
    available24h: false,
  }),
];
