import { describe, expect, it } from 'vitest';
import { disclosurePrintedSchema, disclosureSlipJobSchema, initialSlipStatus, slipChoicesFor, slipStatusFits, slipTally } from '../../../core/guide/disclosure-slip.ts';
import { parseKioskCall } from '../../../core/kiosk/kiosk-api.ts';
import { syncEventSchema } from '../../../core/sync/events.ts';

const slip = {
  id: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  serial: 'GZ-3F4A5B-20261125-001',
  serviceId: 'sole-trader',
  materials: [
    { id: 'id-card', status: 'have' },
    { id: 'premises', status: 'to-correct' },
  ],
  at: 1_764_034_200_000,
};

const job = {
  hallName: '市政务服务中心',
  title: '一次性告知单',
  serialText: '告知单编号：GZ-3F4A5B-20261125-001',
  serviceText: '办理事项：个体工商户登记',
  codeText: '事项编码：SC-002',
  summaryText: '申请材料共 1 项：缺 1 项，需补正 0 项',
  materials: [{ status: 'missing', mark: '✗ 缺', name: '经营者居民身份证', details: ['要求：原件，1 份，纸质'] }],
  placeText: '办理地点：市政务服务中心一楼东区 7–9号窗口',
  consultPhoneText: '咨询电话：12315',
  supervisionPhoneText: '监督投诉电话：12345',
  issuedAtText: '告知时间：2026-11-25 09:30',
  qrPayload: 'https://hall.example/zwfw/sole-trader',
};

describe('disclosure.printed', () => {
  it('is a known sync event carrying what was disclosed, and nothing else', () => {
    expect(syncEventSchema.safeParse({ seq: 1, id: slip.id, type: 'disclosure.printed', at: slip.at, payload: slip }).success).toBe(true);
    expect(disclosurePrintedSchema.parse({ ...slip, citizenName: '张三' })).not.toHaveProperty('citizenName');
  });

  it('refuses a serial of another form, an unknown status and a material listed twice', () => {
    expect(disclosurePrintedSchema.safeParse({ ...slip, serial: 'GZ-20261125-1' }).success).toBe(false);
    expect(disclosurePrintedSchema.safeParse({ ...slip, materials: [{ id: 'id-card', status: 'lost' }] }).success).toBe(false);
    const twice = disclosurePrintedSchema.safeParse({ ...slip, materials: [slip.materials[0], slip.materials[0]] });
    expect(twice.error?.issues[0]?.message).toContain('listed twice');
  });
});

describe('printer.printSlip', () => {
  it('takes a slip job whose QR is ASCII', () => {
    expect(parseKioskCall('printer.printSlip', [job])).toMatchObject({ ok: true });
    expect(disclosureSlipJobSchema.safeParse({ ...job, qrPayload: 'https://hall.example/指南' }).success).toBe(false);
    expect(parseKioskCall('printer.printSlip', [{ ...job, materials: [] }])).toMatchObject({ ok: false });
  });
});

describe('conditional materials on the checklist (issue 13 point 12)', () => {
  const required = { requirement: { kind: 'required' as const } };
  const conditional = { requirement: { kind: 'conditional' as const, condition: '委托他人代为办理的' } };

  it('offers 不适用 only for a material that applies under a condition', () => {
    expect(slipChoicesFor(required)).toEqual(['have', 'missing', 'to-correct']);
    expect(slipChoicesFor(conditional)).toEqual(['have', 'missing', 'to-correct', 'not-applicable']);
  });

  it('starts a required material as missing and a conditional one undecided, never missing', () => {
    expect(initialSlipStatus(required)).toBe('missing');
    expect(initialSlipStatus(conditional)).toBe('undecided');
  });

  it('refuses an answer the material cannot have', () => {
    expect(slipStatusFits(required, 'not-applicable')).toBe(false);
    expect(slipStatusFits(required, 'undecided')).toBe(false);
    expect(slipStatusFits(conditional, 'not-applicable')).toBe(true);
    expect(slipStatusFits(conditional, 'undecided')).toBe(true);
    expect(slipStatusFits(conditional, 'have')).toBe(true);
  });

  it('tallies every status, so what does not apply is never counted as missing', () => {
    expect(slipTally(['missing', 'not-applicable', 'not-applicable', 'undecided', 'have'])).toEqual({ have: 1, missing: 1, 'to-correct': 0, 'not-applicable': 2, undecided: 1 });
  });
});
