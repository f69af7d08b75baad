import { describe, expect, it } from 'vitest';
import { templateUploadSchema } from '../../../core/attendance/roster.ts';
import { workScheduleSchema } from '../../../core/attendance/schedule.ts';
import { syncEventSchema } from '../../../core/sync/events.ts';
import { pullQuerySchema, pullResponseSchema } from '../../../core/sync/pull.ts';

const id = (n: number) => `019cac6e-8000-7000-8000-${String(n).padStart(12, '0')}`;
const checkin = { id: id(7), staffId: '1001', kind: 'sign-in', at: 1_772_413_200_000, clockOffsetMs: -1200, session: 'morning' };

describe('the attendance wire contract', () => {
  it('validates checkin.recorded payloads like every known event', () => {
    const event = (payload: unknown) => syncEventSchema.safeParse({ seq: 1, id: id(1), type: 'checkin.recorded', at: 1, payload });
    expect(event(checkin).success).toBe(true);
    expect(event({ ...checkin, clockOffsetMs: undefined, session: undefined }).success).toBe(true);
    expect(event({ ...checkin, kind: 'lunch' }).error?.issues[0]?.path).toEqual(['payload', 'kind']);
    // The record id is the kiosk's UUIDv7, never a v4 or a counter.
    expect(event({ ...checkin, id: '01234567-89ab-4def-8123-456789abcdef' }).success).toBe(false);
    expect(event({ ...checkin, staffId: '../etc' }).success).toBe(false);
  });

  it('keeps the pull additive: older answers without staff still parse, newer ones carry it', () => {
    const base = { serverTime: 1, epoch: 'e', reset: false, lastAppliedSeq: 0, businessDay: '2026-03-02', catalog: null, settings: null, leases: [], cursor: 'c' };
    expect(pullResponseSchema.safeParse(base).success).toBe(true);
    const withStaff = pullResponseSchema.safeParse({
      ...base,
      staff: {
        cursor: 's',
        full: true,
        members: [{ id: '1001', name: '张伟', departmentId: 'market', counter: '3号窗口', role: 'staff', scheduleId: null, active: true }],
        templates: [{ staffId: '1001', finger: 1, revision: 4 }],
        removedTemplates: [],
      },
      spotChecks: [{ id: id(9), departmentId: null, startedAt: 1, endsAt: 2 }],
    });
    expect(withStaff.success).toBe(true);
    // A template never rides in the roster: unknown keys are dropped, not passed on.
    const sneaky = pullResponseSchema.parse({ ...base, staff: { cursor: 's', full: true, members: [], templates: [{ staffId: '1', finger: 0, revision: 1, template: 'AAAA' }], removedTemplates: [] } });
    expect(sneaky.staff?.templates[0]).toEqual({ staffId: '1', finger: 0, revision: 1 });
    expect(pullQuerySchema.parse({ cursor: 'c', staffCursor: 's' })).toEqual({ cursor: 'c', staffCursor: 's' });
  });

  it('accepts base64 templates up to the size limit only', () => {
    expect(templateUploadSchema.parse({ template: Buffer.alloc(512, 7).toString('base64') }).format).toBe('as608-char');
    expect(templateUploadSchema.safeParse({ template: 'not base64!' }).success).toBe(false);
    expect(templateUploadSchema.safeParse({ template: Buffer.alloc(5000).toString('base64') }).success).toBe(false);
  });

  it('takes a schedule from a hall timetable or its own sessions, not both', () => {
    expect(workScheduleSchema.parse({ id: 'hall', name: '大厅', timetableId: 'hall' })).toMatchObject({ lateGraceMinutes: 5, earlyLeaveGraceMinutes: 0 });
    expect(workScheduleSchema.safeParse({ id: 'x', name: 'x' }).success).toBe(false);
    const both = workScheduleSchema.safeParse({ id: 'x', name: 'x', timetableId: 'hall', sessions: [{ id: 'm', name: { zh: '上午', en: 'AM' }, start: '09:00', end: '12:00' }] });
    expect(both.success).toBe(false);
  });
});
