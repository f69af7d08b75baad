import { describe, expect, it } from 'vitest';
import { defaultKioskConfig, loadKioskConfig, publicKioskConfig } from '../../../core/kiosk/kiosk-config.ts';

describe('elderModeDefault in the kiosk config', () => {
  it('is off unless the hall sets it, including in configs written before it existed', () => {
    const { elderModeDefault: _, ...older } = defaultKioskConfig('kiosk-1');
    const loaded = loadKioskConfig(older);
    expect(loaded.ok && loaded.config.elderModeDefault).toBe(false);
    const on = loadKioskConfig({ ...defaultKioskConfig('kiosk-1'), elderModeDefault: true });
    expect(on.ok && publicKioskConfig(on.config).elderModeDefault).toBe(true);
  });

  it('refuses a value that is not true or false, naming the key', () => {
    const bad = loadKioskConfig({ ...defaultKioskConfig('kiosk-1'), elderModeDefault: 'yes' });
    expect(bad).toMatchObject({ ok: false, errors: [expect.stringMatching(/^elderModeDefault: /)] });
  });
});
