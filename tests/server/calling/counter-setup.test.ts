import { expect, it } from 'vitest';
import { hallApi } from '../../../core/http/contract.ts';
import { pathOf } from '../../../core/http/route-contract.ts';
import { counterSetupSchema } from '../../../core/queue/counter-api.ts';
import { saveCallingSettings } from '../../../server/calling/calling-settings-store.ts';
import { openCounterSession } from '../../../server/calling/counter-staff.ts';
import { callingDeps, hallIdOf, setUpWindows, signedIn } from '../support/calling.ts';
import { describeEngines } from '../support/engines.ts';
import { useHallServer } from '../support/hall-under-test.ts';
import { api } from '../support/http.ts';

describeEngines('what the counter desk reads once (hallApi.counterSetup)', (engine) => {
  const hall = useHallServer(engine);

  it('names the hall’s services as its catalog does and lists the hall’s own pause reasons, to a signed-in window only', async () => {
    await setUpWindows(hall.server, [4]);
    const caller = await signedIn(callingDeps(hall.server), 4);
    const { token } = await openCounterSession(hall.server.db.db, hall.clock.now(), caller);
    const path = pathOf(hallApi.counterSetup);

    const first = await api(hall.server.url, 'GET', path, { token });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const setup = counterSetupSchema.parse(first.body);
    expect(setup.services.find((s) => s.id === 'ss-card')).toEqual({ id: 'ss-card', departmentId: 'social', name: { zh: expect.stringContaining('社会保障卡'), en: expect.any(String) } });
    expect(setup.services.length).toBeGreaterThan(10);
    expect(setup.pauseReasons.map((r) => r.name.zh)).toEqual(['暂离', '会议', '外出送件', '其他']);

    await saveCallingSettings(hall.server.db.db, await hallIdOf(hall.server.db.db), { pauseReasons: [{ code: 'training', name: { zh: '培训', en: 'Training' } }] }, hall.clock.now());
    const again = counterSetupSchema.parse((await api(hall.server.url, 'GET', path, { token })).body);
    expect(again.pauseReasons).toEqual([{ code: 'training', name: { zh: '培训', en: 'Training' } }]);

    expect((await api(hall.server.url, 'GET', path)).status).toBe(401);
    expect((await api(hall.server.url, 'GET', path, { token: 'hkc_nobody' })).status).toBe(401);
  });
});
