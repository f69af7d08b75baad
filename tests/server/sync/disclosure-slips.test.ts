import { v7 as uuidv7 } from 'uuid';
import { expect, it } from 'vitest';
import type { DisclosurePrinted } from '../../../core/guide/disclosure-slip.ts';
import { epochAtWallTime } from '../../../core/calendar/wall-clock.ts';
import { describeEngines } from '../support/engines.ts';
import { countRows, inspect } from '../support/servers.ts';
import { useHallServer } from '../support/hall-under-test.ts';

const at = (time: string) => epochAtWallTime('2026-03-02', time, 'Asia/Shanghai');
const statuses = (response: { body: { results: { status: string }[] } }) => response.body.results.map((r) => r.status);

describeEngines('disclosure.printed events', (engine) => {
  const hall = useHallServer(engine, { kiosk: 'kiosk A' });

  function printed(serviceId: string, number: number, deviceAt: number, extra: Partial<DisclosurePrinted> = {}): DisclosurePrinted {
    const slip: DisclosurePrinted = {
      id: uuidv7({ msecs: deviceAt }),
      serial: `GZ-3F4A5B-20260302-${String(number).padStart(3, '0')}`,
      serviceId,
      materials: [
        { id: 'application-form', status: 'missing' },
        { id: 'id-card', status: 'have' },
        { id: 'premises', status: 'to-correct' },
        { id: 'power-of-attorney', status: 'missing' },
      ],
      at: deviceAt,
      ...extra,
    };
    hall.kiosk.custom('disclosure.printed', slip, deviceAt);
    return slip;
  }
  const slips = () => inspect(hall.db, (k) => k.selectFrom('disclosure_slips').selectAll().orderBy('serial').execute());

  it('stores each printed slip exactly once, however often the batch is replayed', async () => {
    const first = printed('sole-trader', 1, at('09:12'));
    // Mixed with ticket events: the fast path hands the slips to the per-event path.
    hall.kiosk.issue({ serviceId: 'sole-trader', prefix: 'B', sequence: 1, issuedAt: at('09:13') });
    printed('food-licence', 2, at('09:40'));

    const push = await hall.kiosk.push();
    expect(push.status).toBe(200);
    expect(statuses(push)).toEqual(['applied', 'applied', 'applied']);
    const replays = await Promise.all([hall.kiosk.push(), hall.kiosk.push(), hall.kiosk.push()]);
    for (const r of replays) expect(statuses(r)).toEqual(['duplicate', 'duplicate', 'duplicate']);

    const stored = await slips();
    expect(stored).toHaveLength(2);
    expect(stored[0]).toMatchObject({
      id: first.id,
      device_id: hall.kiosk.deviceId,
      serial: 'GZ-3F4A5B-20260302-001',
      service_id: 'sole-trader',
      missing_count: 2,
      to_correct_count: 1,
    });
    expect(JSON.parse(stored[0]!.materials_json)).toEqual(first.materials);
    expect(Number(stored[0]!.at)).toBe(first.at);
    expect(await countRows(hall.db)).toMatchObject({ tickets: 1, device_events: 3, dead_letters: 0 });
  });

  it('applies concurrent first pushes of the same slips once', async () => {
    for (let n = 1; n <= 10; n++) printed('sole-trader', n, at('10:00') + n * 1000);
    const responses = await Promise.all(Array.from({ length: 4 }, () => hall.kiosk.push()));
    const applied = responses.flatMap((r) => r.body.results ?? []).filter((r: { status: string }) => r.status === 'applied');
    expect(applied).toHaveLength(10);
    expect(await slips()).toHaveLength(10);
  });

  it('makes the slip id unique on its own: the same slip under a new seq changes nothing, another slip under its id is refused', async () => {
    const slip = printed('sole-trader', 1, at('11:00'));
    await hall.kiosk.push();
    hall.kiosk.custom('disclosure.printed', slip, slip.at);
    hall.kiosk.custom('disclosure.printed', { ...slip, materials: [{ id: 'id-card', status: 'missing' }] }, slip.at);
    const again = await hall.kiosk.push(hall.kiosk.outbox.slice(1));
    expect(again.body.results).toMatchObject([
      { seq: 2, status: 'applied' },
      { seq: 3, status: 'dead-lettered', reason: expect.stringContaining('already recorded as a different slip') },
    ]);
    expect(await slips()).toHaveLength(1);
  });

  it('keeps a slip for a service no catalog of the server has: the kiosk printed it from its bundled catalog', async () => {
    printed('tax-invoice', 1, at('11:30'));
    expect(statuses(await hall.kiosk.push())).toEqual(['applied']);
    expect((await slips())[0]!.service_id).toBe('tax-invoice');
  });

  it('refuses a malformed slip (a serial not of the form GZ-…) with the whole push, as any invalid known event', async () => {
    hall.kiosk.custom('disclosure.printed', { id: uuidv7(), serial: 'slip-1', serviceId: 'sole-trader', materials: [{ id: 'id-card', status: 'have' }], at: at('12:00') }, at('12:00'));
    expect((await hall.kiosk.push()).status).toBe(400);
    expect(await slips()).toHaveLength(0);
  });
});
