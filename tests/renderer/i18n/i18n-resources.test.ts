import { describe, expect, it } from 'vitest';
import { slipMaterialStatuses } from '../../../core/guide/disclosure-slip.ts';
import { printOutcomes, printerStates } from '../../../core/printing/printing.ts';
import { materialChannels, materialForms, materialMedia, serviceTypes, standardStages } from '../../../core/guide/service-guide.ts';
import { priorityClasses } from '../../../core/ticket/ticket.ts';
import { en } from '../../../renderer/i18n/en.ts';
import { createKioskI18n } from '../../../renderer/i18n/kiosk-i18n.ts';
import { zh } from '../../../renderer/i18n/zh.ts';

function leaves(tree: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of leaves(value as object, path)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!).sort();

describe('translations', () => {
  const zhLeaves = leaves(zh);
  const enLeaves = leaves(en);

  it('has the same keys and placeholders in both languages, none empty', () => {
    expect([...enLeaves.keys()].sort()).toEqual([...zhLeaves.keys()].sort());
    for (const [key, text] of zhLeaves) {
      expect(text.trim(), key).not.toBe('');
      expect(placeholders(enLeaves.get(key)!), key).toEqual(placeholders(text));
    }
  });

  it("names every priority class, printer state and failed print outcome of core's contracts", () => {
    for (const c of priorityClasses) expect(zhLeaves.has(`priority.${c}`), c).toBe(true);
    for (const s of printerStates) expect(zhLeaves.has(`status.printer.${s}`), s).toBe(true);
    for (const o of printOutcomes.filter((o) => o !== 'printed')) {
      expect(zhLeaves.has(`printFailed.${o}`), o).toBe(true);
      expect(zhLeaves.has(`failureReason.${o}`), o).toBe(true);
    }
  });

  it("names every guide term and checklist status of core's guide and slip models", () => {
    const terms: [string, readonly string[]][] = [
      ['terms.type', serviceTypes],
      ['terms.form', materialForms],
      ['terms.medium', materialMedia],
      ['terms.channel', materialChannels],
      ['terms.stage', [...standardStages, '特别程序']],
      ['checklist.status', slipMaterialStatuses],
      ['slip.mark', slipMaterialStatuses],
    ];
    for (const [group, values] of terms) for (const value of values) expect(zhLeaves.has(`${group}.${value}`), `${group}.${value}`).toBe(true);
  });

  it('speaks plain Chinese first, English on request', async () => {
    const i18n = createKioskI18n('zh');
    expect(i18n.t('departments.title')).toBe('请选择办理部门');
    expect(i18n.t('printFailed.paper-out')).toBe('打印失败：打印机缺纸，请联系工作人员');
    expect(i18n.t('ticket.priorityMark', { cls: i18n.t('priority.elderly') })).toBe('优先 · 老年人');
    await i18n.changeLanguage('en');
    expect(i18n.t('departments.title')).toBe('Choose a department');
  });
});
