import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { UpdateHealthReport } from '../../../core/kiosk/software-update.ts';
import { hallApi } from '../../../core/http/contract.ts';
import { revokeDevice } from '../../../server/devices/devices.ts';
import { UpdateFeed } from '../../../server/updates/update-feed.ts';
import { describeEngines } from '../support/engines.ts';
import { useHallServer } from '../support/hall-under-test.ts';
import { api } from '../support/http.ts';
import type { TestKiosk } from '../support/kiosk.ts';
import { inspect } from '../support/servers.ts';
import { TestClock } from '../../support/test-clock.ts';

// Issue 14 point 7: one device reporting an update unhealthy withdrew the release for the whole
// hall. Now it takes reports from two different kiosks still enrolled (or the admin's update:withdraw).

const report: UpdateHealthReport = { version: '1.1.0', platform: 'linux', channel: 'stable', previousVersion: '1.0.0', reason: 'health-deadline', starts: 1 };

describeEngines('an update is withdrawn for the hall only on the word of several kiosks', (engine) => {
  let work: string;
  let feedDir: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'hall-update-quorum-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  // Before the hall's own beforeEach (registered below), so each test's server gets its own feed.
  beforeEach(async () => {
    feedDir = mkdtempSync(join(work, 'feed-'));
    const feed = new UpdateFeed(feedDir);
    for (const version of ['1.0.0', '1.1.0']) {
      const installer = join(work, `kiosk-${version}.deb`);
      writeFileSync(installer, randomBytes(2_000));
      await feed.publish({ installer, version, channel: 'stable' }, new TestClock());
    }
  });
  let quorum: number | undefined;
  const hall = useHallServer(engine, { server: () => ({ updateFeed: new UpdateFeed(feedDir), ...(quorum === undefined ? {} : { updateWithdrawQuorum: quorum }) }) });

  const offered = async () => {
    const feed = new UpdateFeed(feedDir);
    return feed.offered(await feed.releases('stable'), 'linux')?.version;
  };
  const reportFrom = (kiosk: TestKiosk, body: UpdateHealthReport = report) => api(hall.server.url, 'POST', hallApi.updatesHealth.path, { token: kiosk.token, body });

  it('one kiosk, however often it reports, does not withdraw a release; a second kiosk does', async () => {
    const [a, b] = [await hall.enrolKiosk('kiosk A'), await hall.enrolKiosk('kiosk B')];
    for (const starts of [1, 2, 4]) {
      const answer = await reportFrom(a, { ...report, reason: starts > 2 ? 'crash-loop' : 'health-deadline', starts });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ withdrawn: false, known: true, offered: '1.1.0', kiosks: 1, quorum: 2 });
    }
    expect(await offered()).toBe('1.1.0');
    const second = await reportFrom(b);
    expect(second.body).toMatchObject({ withdrawn: true, offered: '1.0.0', kiosks: 2 });
    expect(await offered()).toBe('1.0.0');
    expect(await inspect(hall.db, (k) => k.selectFrom('update_health_reports').select(['device_id', 'reason', 'starts']).orderBy('reported_at').execute())).toEqual([
      { device_id: a.deviceId, reason: 'crash-loop', starts: 4 },
      { device_id: b.deviceId, reason: 'health-deadline', starts: 1 },
    ]);
  });

  it('a kiosk revoked since its report no longer counts; a version the feed never offered is not kept', async () => {
    const [a, b, c] = [await hall.enrolKiosk('kiosk A'), await hall.enrolKiosk('kiosk B'), await hall.enrolKiosk('kiosk C')];
    await reportFrom(a);
    await revokeDevice(hall.server.db.db, hall.clock, a.deviceId);
    expect((await reportFrom(b)).body).toMatchObject({ withdrawn: false, kiosks: 1 });
    expect((await reportFrom(c)).body).toMatchObject({ withdrawn: true, kiosks: 2 });

    expect((await reportFrom(b, { ...report, version: '9.9.9' })).body).toEqual({ withdrawn: false, known: false, serverTime: expect.any(Number) });
    expect(await inspect(hall.db, (k) => k.selectFrom('update_health_reports').select('version').where('version', '=', '9.9.9').execute())).toEqual([]);
  });

  it('takes the quorum the server is started with', async () => {
    quorum = 3;
    try {
      await hall.restart();
      const kiosks = [await hall.enrolKiosk('kiosk A'), await hall.enrolKiosk('kiosk B'), await hall.enrolKiosk('kiosk C')];
      expect((await reportFrom(kiosks[0]!)).body).toMatchObject({ withdrawn: false, quorum: 3 });
      expect((await reportFrom(kiosks[1]!)).body).toMatchObject({ withdrawn: false, kiosks: 2 });
      expect((await reportFrom(kiosks[2]!)).body).toMatchObject({ withdrawn: true, kiosks: 3 });
    } finally {
      quorum = undefined;
    }
  });
});
