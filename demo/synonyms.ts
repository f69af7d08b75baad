import type { Synonym } from '../core/catalog/catalog.ts';

/**
 * The demo hall's table of everyday words (俗称): what citizens say at the enquiry desk for the
 * words the catalog's names use. A hall edits its own in the catalog workbook's 俗称 sheet.
 */
export const demoSynonyms: Synonym[] = [
  { term: '不动产', colloquial: ['房产', '房子', '房屋'] },
  { term: '转移登记', colloquial: ['过户'] },
  { term: '驾驶证', colloquial: ['驾照', '驾驶本', '车本'] },
  { term: '出入境证件', colloquial: ['护照', '出国证件'] },
  { term: '交通违法', colloquial: ['罚款', '违章', '罚单', '闯红灯', '超速'] },
  { term: '就医', colloquial: ['看病', '看医生', '住院'] },
  { term: '生育', colloquial: ['生孩子', '生小孩', '生娃'] },
  { term: '个体工商户', colloquial: ['开店', '小卖部', '摆摊', '个体'] },
  { term: '企业设立', colloquial: ['开公司', '办公司', '成立公司', '注册企业'] },
  { term: '提取', colloquial: ['取钱', '提钱'] },
  { term: '养老金', colloquial: ['退休工资', '养老钱'] },
  { term: '最低生活保障', colloquial: ['救济', '困难户'] },
  { term: '失业保险金', colloquial: ['失业救济', '失业补贴'] },
  { term: '个人所得税', colloquial: ['工资税', '工资个税'] },
  { term: '抵押', colloquial: ['按揭'] },
  { term: '异地', colloquial: ['外地', '外省', '老家'] },
  { term: '出租汽车', colloquial: ['出租车', '的士'] },
  { term: '网络预约出租汽车', colloquial: ['滴滴', '开网约车'] },
  { term: '道路货物运输', colloquial: ['货运', '拉货', '跑运输'] },
  { term: '公共租赁住房', colloquial: ['公租房', '政府租房'] },
  { term: '居住证', colloquial: ['暂住证'] },
  { term: '无犯罪记录', colloquial: ['良民证', '政审证明'] },
  { term: '食品经营', colloquial: ['开饭店', '开餐馆', '餐饮店', '卖吃的'] },
  { term: '药品零售', colloquial: ['开药店', '开药房'] },
  { term: '高龄津贴', colloquial: ['老人补贴', '尊老金', '长寿金'] },
  { term: '户口迁入', colloquial: ['迁户口', '落户口'] },
  { term: '婚姻登记证', colloquial: ['结婚证', '离婚证', '红本'] },
  { term: '施工许可证', colloquial: ['施工证', '开工证'] },
  { term: '社会保障卡', colloquial: ['社保卡'] },
  { term: '缴存证明', colloquial: ['公积金流水', '缴费证明'] },
];
