import { describe, expect, it } from 'vitest';
import type { ServiceGuide } from '../../../core/guide/service-guide.ts';
import { serviceGuideSchema } from '../../../core/guide/service-guide.ts';
import { encodeDisclosureSlip } from '../../../hardware/printer/slip-encoder.ts';
import { EscPosDecoder } from '../../../hardware/sim/escpos-decoder.ts';
import type { TextLineEvent } from '../../../hardware/sim/escpos-decoder.ts';
import { buildSlipPrintJob } from '../../../renderer/printing/slip-print-job.ts';
import { demoGuides, fullDemoCatalog } from '../../support/demo-hall.ts';

const service = fullDemoCatalog.services.find((s) => s.id === 'sole-trader')!;
const serial = 'GZ-E5DF34-20261125-007';

/** The sole-trader guide with every text of its first two materials and the place in English, the rest without. */
function partlyTranslated(): ServiceGuide {
  const { en: _en, ...guide } = demoGuides['sole-trader']!;
  return serviceGuideSchema.parse({
    ...guide,
    en: { address: 'Government Service Centre, 1F East' },
    materials: guide.materials.map(({ en: _m, ...m }) =>
      m.id === 'application-form'
        ? { ...m, en: { name: 'Application form', issuer: 'Free at the counter or online', specialRequirements: 'Signed by the applicant', blankForm: 'Blank form', sample: 'Sample' } }
        : m.id === 'power-of-attorney'
          ? { ...m, en: { name: 'Power of attorney', condition: 'When someone applies for you', specialRequirements: 'Signed by the trader' } }
          : m,
    ),
  });
}

function slipIn(guide: ServiceGuide, language?: 'zh' | 'en') {
  return buildSlipPrintJob({
    slip: { serial, at: Date.parse('2026-11-25T01:30:00Z'), materials: [{ id: 'power-of-attorney', status: 'missing' }] },
    service,
    guide,
    hallName: '市政务服务中心',
    timeZone: 'Asia/Shanghai',
    ...(language ? { language } : {}),
  });
}

describe('buildSlipPrintJob in the citizen’s language', () => {
  it('prints an English slip for an English speaker: its labels, marks, terms and the translated texts; hall name and serial unchanged', () => {
    const job = slipIn(partlyTranslated(), 'en');
    expect(job.hallName).toBe('市政务服务中心');
    expect(job.title).toBe('One-time notice');
    expect(job.serialText).toBe(`Notice no.: ${serial}`);
    expect(job.serviceText).toBe('Service: Sole trader registration');
    expect(job.materials[0]).toEqual({
      status: 'missing',
      mark: 'MISSING',
      name: 'Application form',
      details: ['Bring: Original × 1, Paper', 'Where to get it: Provided by the applicant (Free at the counter or online)', 'Special requirements: Signed by the applicant'],
    });
    const attorney = job.materials.find((m) => m.name === 'Power of attorney')!;
    expect(attorney.details).toContain('Applies when: When someone applies for you');
    expect(job.placeText).toBe(`Where: Government Service Centre, 1F East ${service.windows.en}`);
    // The rest of the guide has no English: printed in Chinese, and the slip says so.
    expect(job.materials.find((m) => m.status === 'missing' && m.name === '经营者居民身份证')).toBeDefined();
    expect(job.footer).toMatch(/^Parts of this guide have no English text and are printed in Chinese\. /);
  });

  it('prints the Chinese slip as before when the citizen reads Chinese, English or not', () => {
    const job = slipIn(partlyTranslated());
    expect(job.title).toBe('一次性告知单');
    expect(job.materials[0]!.name).toBe('个体工商户登记（备案）申请书');
    expect(job.materials[0]!.details[0]).toBe('要求：原件，1 份，纸质');
    expect(job.footer).toMatch(/^依据《中华人民共和国行政许可法》/);
  });

  it('comes out of the printer in English, read back from the ESC/POS bytes', () => {
    const decoder = new EscPosDecoder();
    const events = [...decoder.push(encodeDisclosureSlip(slipIn(partlyTranslated(), 'en'), 80)), ...decoder.end()];
    const lines = events.filter((e): e is TextLineEvent => e.type === 'text').map((e) => e.text);
    expect(lines[0]).toBe('市政务服务中心');
    expect(lines[1]).toBe('One-time notice');
    expect(lines.some((l) => l.includes('MISSING') && l.includes('1. Application form'))).toBe(true);
    expect(lines.join(' ')).toContain(`Notice no.: ${serial}`);
  });
});
