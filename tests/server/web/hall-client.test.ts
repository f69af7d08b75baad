import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { hallApi } from '../../../core/http/contract.ts';
import { openCounterSession } from '../../../server/calling/counter-staff.ts';
import { HallClient } from '../../../server/web/hall-client.ts';
import { callingDeps, printedTickets, setUpWindows, signedIn } from '../support/calling.ts';
import { describeEngines } from '../support/engines.ts';
import { useHallServer } from '../support/hall-under-test.ts';
import { freePort } from '../../support/free-port.ts';

describeEngines('the web apps’ contract client (server/web/hall-client.ts)', (engine) => {
  const hall = useHallServer(engine, { kiosk: { name: 'entrance', trueTime: 'hall' } });

  it('answers ok with the parsed answer and the server’s time, refused with the server’s code and reasons, unreachable without an answer', async () => {
    await setUpWindows(hall.server, [1]);
    const caller = await signedIn(callingDeps(hall.server), 1);
    const { token } = await openCounterSession(hall.server.db.db, hall.clock.now(), caller);
    await printedTickets(hall.kiosk, [{ sequence: 1, at: hall.clock.now() - 1000 }]);
    const client = new HallClient({ baseUrl: hall.server.url, token: () => token });

    const queue = await client.call(hallApi.counterQueue);
    expect(queue.ok).toBe(true);
    if (!queue.ok) return;
    expect(queue.value.waiting.map((l) => l.label)).toEqual(['D001']);
    expect(queue.serverTime).toBeGreaterThan(0);
    expect(Math.abs(queue.serverTime! - hall.clock.now())).toBeLessThan(5_000);

    const refused = await client.call(hallApi.counterPress, { body: { idempotencyKey: randomUUID(), press: { action: 'finish' } } });
    expect(refused).toMatchObject({ ok: false, unreachable: false, refusal: { status: 409, code: 'counter-refused', details: { localized: { zh: expect.any(String), en: expect.any(String) } } } });

    const stranger = await new HallClient({ baseUrl: hall.server.url, token: () => 'hkc_nobody' }).call(hallApi.counterQueue);
    expect(stranger).toMatchObject({ ok: false, unreachable: false, refusal: { status: 401, code: 'token-invalid' } });

    const nowhere = await new HallClient({ baseUrl: `http://127.0.0.1:${await freePort()}` }).call(hallApi.time);
    expect(nowhere).toMatchObject({ ok: false, unreachable: true });
  });
});
