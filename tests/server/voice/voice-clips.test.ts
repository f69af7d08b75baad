import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { voiceClipsPath } from '../../../core/http/contract.ts';
import { describeEngines } from '../support/engines.ts';
import { useHallServer } from '../support/hall-under-test.ts';

const root = mkdtempSync(join(tmpdir(), 'voice-clips-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describeEngines('the hall server serves the clip voice', (engine) => {
  // Each engine's server its own folders: the tests change the hall's.
  const packDir = join(root, engine.name, 'default');
  const hallDir = join(root, engine.name, 'hall');
  mkdirSync(packDir, { recursive: true });
  mkdirSync(hallDir, { recursive: true });
  writeFileSync(join(packDir, 'qing.wav'), 'RIFF-default-qing');
  writeFileSync(join(packDir, 'hao.wav'), 'RIFF-default-hao');
  const hall = useHallServer(engine, { server: () => ({ voiceClips: { packDir, hallDir } }) });
  const get = (clip: string) => fetch(`${hall.server.url}${voiceClipsPath}${clip}`);

  it('serves a generated clip by its id, revalidated each time', async () => {
    const response = await get('qing');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('audio/wav');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-voice-clip-source')).toBe('default');
    expect(await response.text()).toBe('RIFF-default-qing');
  });

  it("prefers the hall's own recording, in any format, from the next request on", async () => {
    expect(await (await get('hao')).text()).toBe('RIFF-default-hao');
    writeFileSync(join(hallDir, 'hao.mp3'), 'ID3-hall-hao');
    const response = await get('hao');
    expect(response.headers.get('content-type')).toBe('audio/mpeg');
    expect(response.headers.get('x-voice-clip-source')).toBe('hall');
    expect(await response.text()).toBe('ID3-hall-hao');
  });

  it('answers 404 saying why for a clip that is missing or not of the grammar, and nothing else of the folders', async () => {
    const missing = await get('dao');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('run scripts/setup.sh');
    for (const name of ['nonsense', 'qing.wav', '..%2Fdefault%2Fqing', '%2E%2E']) {
      const refused = await get(name);
      expect(refused.status, name).toBe(404);
      expect(await refused.text(), name).not.toContain('RIFF');
    }
  });
});
