import { describe, expect, it } from 'vitest';
import { clockOffsetOf, correctedTime } from '../../../core/sync/clock-offset.ts';
import { enrollRequestSchema, normalizeEnrollmentCode } from '../../../core/sync/enrollment.ts';
import { isKnownEventType, syncEventSchema, syncEventTypes } from '../../../core/sync/events.ts';
import { reserveFromLease } from '../../../core/numbering/numbers.ts';
import { maxEventsPerPush, pushRequestSchema } from '../../../core/sync/push.ts';
import { newEnrollmentCode } from '../../../server/devices/credentials.ts';
import { decodeCursor, encodeCursor } from '../../../server/sync/cursor.ts';

const id = (n: number) => `019cac6e-8000-7000-8000-${String(n).padStart(12, '0')}`;
const ticket = { id: id(99), kioskId: 'east-1', serviceId: 'ss-card', departmentId: 'social', businessDay: '2026-03-02', sequence: 7, label: 'D007', priority: 'elderly', issuedAt: 1, state: 'printing', printAttempts: 0 };

describe('the wire contract (core/sync-*.ts)', () => {
  it('names the ticket and check-in events the kiosk outbox holds', () => {
    expect(syncEventTypes).toEqual(['ticket.issued', 'ticket.printed', 'ticket.print-failed', 'ticket.voided', 'ticket.held-electronically', 'ticket.reprinted', 'checkin.recorded', 'disclosure.printed']);
    expect(isKnownEventType('ticket.issued')).toBe(true);
    expect(isKnownEventType('toString')).toBe(false);
  });

  it('validates known payloads, and lets unknown types through for the server to dead-letter', () => {
    expect(syncEventSchema.safeParse({ seq: 1, id: id(1), type: 'ticket.issued', at: 1, payload: { ticket } }).success).toBe(true);
    const bad = syncEventSchema.safeParse({ seq: 1, id: id(1), type: 'ticket.issued', at: 1, payload: { ticket: { ...ticket, priority: 'vip' } } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['payload', 'ticket', 'priority']);
    expect(syncEventSchema.safeParse({ seq: 1, id: id(1), type: 'roster.teleported', at: 1, payload: { anything: true } }).success).toBe(true);
    expect(syncEventSchema.safeParse({ seq: 1, id: '01234567-89ab-4def-8123-456789abcdef', type: 'ticket.voided', at: 1, payload: {} }).success).toBe(false);
  });

  it('requires a push batch to be gap-free and bounded', () => {
    const event = (seq: number) => ({ seq, id: id(seq), type: 'ticket.voided', at: 1, payload: { ticketId: id(99), reason: 'x' } });
    expect(pushRequestSchema.safeParse({ sentAt: 1, events: [event(4), event(5)] }).success).toBe(true);
    const gap = pushRequestSchema.safeParse({ sentAt: 1, events: [event(4), event(6)] });
    expect(gap.error?.issues[0]).toMatchObject({ path: ['events', 1, 'seq'], message: expect.stringContaining('without a gap') });
    expect(pushRequestSchema.safeParse({ sentAt: 1, events: [] }).success).toBe(false);
    expect(pushRequestSchema.safeParse({ sentAt: 1, events: Array.from({ length: maxEventsPerPush + 1 }, (_, i) => event(i + 1)) }).success).toBe(false);
  });

  it('estimates the clock offset from the middle of the round trip', () => {
    expect(clockOffsetOf({ sentAt: 1_000, receivedAt: 1_200, serverTime: 61_100 })).toBe(60_000);
    expect(correctedTime(5_000, -2_000)).toBe(3_000);
  });

  it('accepts enrollment codes as people type them', () => {
    const code = newEnrollmentCode();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(normalizeEnrollmentCode(code.toLowerCase().replace(/-/g, ' '))).toBe(code);
    expect(normalizeEnrollmentCode('oi1l-0000-abcd-efgh')).toBe('0111-0000-ABCD-EFGH');
    expect(enrollRequestSchema.safeParse({ code: 'ABCD' }).success).toBe(false);
    expect(new Set(Array.from({ length: 200 }, newEnrollmentCode)).size).toBe(200);
  });

  it('turns a lease into a reserve ready for its first number', () => {
    expect(reserveFromLease({ id: 'l', serviceId: 's', businessDay: '2026-03-02', first: 41, last: 60 })).toEqual({ id: 'l', serviceId: 's', businessDay: '2026-03-02', next: 41, last: 60 });
  });

  it('signs the pull cursor: a device cannot invent a position the server never reported', () => {
    const cursor = { v: 1 as const, e: 'epoch', d: 'device', c: 3, s: 1, a: 42, r: 2 };
    const text = encodeCursor(cursor, 'key');
    expect(text).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text, 'key')).toEqual(cursor);
    // A cursor from before hall calendars still works: it holds no calendar yet.
    const { r: _r, ...older } = cursor;
    expect(decodeCursor(encodeCursor(older, 'key'), 'key')).toEqual({ ...older, r: 0 });
    expect(decodeCursor(text, 'another key')).toBeNull();
    const forged = `${Buffer.from(JSON.stringify({ ...cursor, a: 10_000 })).toString('base64url')}.${text.split('.')[1]}`;
    expect(decodeCursor(forged, 'key')).toBeNull();
    expect(decodeCursor('not a cursor', 'key')).toBeNull();
  });
});
