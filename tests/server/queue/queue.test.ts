import { expect, it } from 'vitest';
import { queueResponseSchema } from '../../../core/ticket/calling-order.ts';
import { describeEngines } from '../support/engines.ts';
import { api } from '../support/http.ts';
import type { TestKiosk } from '../support/kiosk.ts';
import { useHallServer } from '../support/hall-under-test.ts';

describeEngines('calling order', (engine) => {
  const hall = useHallServer(engine);
  const kiosk = (name: string, skewMs: number) => hall.enrolKiosk(name, { trueTime: 'hall', skewMs });

  it('orders by issue time corrected for each kiosk clock, priority classes first, never by label', async () => {
    const fast = await kiosk('clock 2 minutes fast', 120_000);
    const right = await kiosk('clock right', 0);
    const slow = await kiosk('clock 1 minute slow', -60_000);
    const t = hall.server.clock.now() - 60_000; // true times of issue, a minute ago and after

    // Labels deliberately disagree with the true order: offline reserves make them jump.
    const issued = (k: TestKiosk, trueAt: number, sequence: number, priority: 'normal' | 'elderly' = 'normal') => {
      const ticket = k.issue({ serviceId: 'ss-card', departmentId: 'social', prefix: 'D', sequence, issuedAt: trueAt + (k === fast ? 120_000 : k === slow ? -60_000 : 0), priority });
      k.printed(ticket, trueAt + 1_000);
      return ticket;
    };
    const bySlow = issued(slow, t + 10_000, 51);
    const byFast = issued(fast, t + 20_000, 101);
    const byRight = issued(right, t + 30_000, 1);
    const elderly = issued(fast, t + 40_000, 102, 'elderly');
    const neverPrinted = right.issue({ serviceId: 'ss-card', departmentId: 'social', prefix: 'D', sequence: 2, issuedAt: t + 5_000 });
    right.custom('ticket.print-failed', { ticketId: neverPrinted.id, outcome: 'paper-out', printAttempts: 1 }, t + 6_000);

    for (const k of [fast, right, slow]) expect((await k.push()).status).toBe(200);

    const queue = await api(hall.server.url, 'GET', '/api/v1/queue/ss-card', { token: right.token });
    expect(queue.status).toBe(200);
    const parsed = queueResponseSchema.parse(queue.body);
    expect(parsed.waiting.map((w) => w.ticketId)).toEqual([elderly.id, bySlow.id, byFast.id, byRight.id]);
    expect(parsed.waiting.map((w) => w.label)).toEqual(['D102', 'D051', 'D101', 'D001']);
    const corrected = parsed.waiting.slice(1).map((w) => w.correctedIssuedAt);
    for (const [i, trueAt] of [t + 10_000, t + 20_000, t + 30_000].entries()) expect(Math.abs(corrected[i]! - trueAt)).toBeLessThan(2_000);
  });

  it('answers for unknown services with 404', async () => {
    const k = await kiosk('k', 0);
    const response = await api(hall.server.url, 'GET', '/api/v1/queue/nothing-here', { token: k.token });
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('unknown-service');
  });
});
