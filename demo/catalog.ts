import type { Catalog } from '../core/catalog/catalog.ts';

/** A small catalog the kiosk ships with, used until it has synced with the hall's server. */
export const demoCatalog: Catalog = {
  version: 0,
  departments: [
    { id: 'market', name: { zh: '市场监督管理局', en: 'Market Regulation' }, location: { zh: '一楼东区', en: '1F East' } },
    { id: 'social', name: { zh: '人力资源和社会保障局', en: 'Human Resources & Social Security' }, location: { zh: '一楼西区', en: '1F West' } },
    { id: 'housing-fund', name: { zh: '住房公积金中心', en: 'Housing Provident Fund' }, location: { zh: '二楼东区', en: '2F East' } },
    { id: 'public-security', name: { zh: '公安局出入境与户政', en: 'Public Security: Residence & Exit-Entry' }, location: { zh: '二楼西区', en: '2F West' } },
    { id: 'real-estate', name: { zh: '不动产登记中心', en: 'Real Estate Registration' }, location: { zh: '三楼', en: '3F' } },
  ],
  services: [
    { id: 'biz-registration', departmentId: 'market', code: 'SC-001', name: { zh: '企业设立登记', en: 'Company registration' }, prefix: 'A', dailyQuota: 200, windows: { zh: '1–6号窗口', en: 'Counters 1–6' } },
    { id: 'sole-trader', departmentId: 'market', code: 'SC-002', name: { zh: '个体工商户登记', en: 'Sole trader registration' }, prefix: 'B', dailyQuota: 150, windows: { zh: '7–9号窗口', en: 'Counters 7–9' } },
    { id: 'food-licence', departmentId: 'market', code: 'SC-003', name: { zh: '食品经营许可', en: 'Food business licence' }, prefix: 'C', dailyQuota: 80, windows: { zh: '10号窗口', en: 'Counter 10' } },
    { id: 'ss-card', departmentId: 'social', code: 'RS-001', name: { zh: '社会保障卡申领', en: 'Social security card' }, prefix: 'D', dailyQuota: 300, windows: { zh: '21–25号窗口', en: 'Counters 21–25' } },
    { id: 'pension', departmentId: 'social', code: 'RS-002', name: { zh: '养老保险关系转移', en: 'Pension transfer' }, prefix: 'E', dailyQuota: 100, windows: { zh: '26–27号窗口', en: 'Counters 26–27' } },
    { id: 'fund-withdrawal', departmentId: 'housing-fund', code: 'GJJ-001', name: { zh: '住房公积金提取', en: 'Housing fund withdrawal' }, prefix: 'F', dailyQuota: 250, windows: { zh: '31–36号窗口', en: 'Counters 31–36' } },
    { id: 'fund-loan', departmentId: 'housing-fund', code: 'GJJ-002', name: { zh: '住房公积金贷款', en: 'Housing fund loan' }, prefix: 'G', dailyQuota: 60, windows: { zh: '37号窗口', en: 'Counter 37' } },
    { id: 'residence-permit', departmentId: 'public-security', code: 'GA-001', name: { zh: '居住证办理', en: 'Residence permit' }, prefix: 'H', dailyQuota: 200, windows: { zh: '41–44号窗口', en: 'Counters 41–44' } },
    { id: 'exit-entry', departmentId: 'public-security', code: 'GA-002', name: { zh: '出入境证件申请', en: 'Passport and travel permits' }, prefix: 'J', dailyQuota: 150, windows: { zh: '45–48号窗口', en: 'Counters 45–48' } },
    { id: 're-transfer', departmentId: 'real-estate', code: 'BDC-001', name: { zh: '不动产转移登记', en: 'Property transfer registration' }, prefix: 'K', dailyQuota: 120, windows: { zh: '51–56号窗口', en: 'Counters 51–56' } },
    { id: 're-mortgage', departmentId: 'real-estate', code: 'BDC-002', name: { zh: '不动产抵押登记', en: 'Mortgage registration' }, prefix: 'L', dailyQuota: 100, windows: { zh: '57–58号窗口', en: 'Counters 57–58' } },
  ],
};
