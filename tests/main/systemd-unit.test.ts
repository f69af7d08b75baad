import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const unitFile = join(resolve(import.meta.dirname, '../..'), 'packaging', 'linux', 'hall-kiosk.service');

type Unit = Map<string, Map<string, string[]>>;

/** systemd's unit syntax as far as this file uses it: sections, `Key=value`, comments, repeated keys. */
function parseUnit(text: string): Unit {
  const sections: Unit = new Map();
  let current: Map<string, string[]> | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([A-Za-z]+)\]$/.exec(line);
    if (header) {
      if (sections.has(header[1]!)) throw new Error(`line ${index + 1}: section [${header[1]}] twice`);
      current = new Map();
      sections.set(header[1]!, current);
      return;
    }
    const entry = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(line);
    if (!entry) throw new Error(`line ${index + 1}: not "Key=value": ${line}`);
    if (!current) throw new Error(`line ${index + 1}: "${entry[1]}" outside a section`);
    current.set(entry[1]!, [...(current.get(entry[1]!) ?? []), entry[2]!]);
  });
  return sections;
}

describe('packaging/linux/hall-kiosk.service', () => {
  const unit = parseUnit(readFileSync(unitFile, 'utf8'));
  const value = (section: string, key: string) => unit.get(section)?.get(key)?.at(-1);

  it('parses as a unit with [Unit], [Service] and [Install]', () => {
    expect([...unit.keys()]).toEqual(['Unit', 'Service', 'Install']);
  });

  it('restarts the kiosk whenever it stops, and never stops trying', () => {
    expect(value('Service', 'Restart')).toBe('always');
    expect(Number(value('Service', 'RestartSec'))).toBeGreaterThan(0);
    expect(value('Unit', 'StartLimitIntervalSec')).toBe('0');
  });

  it('runs the packaged app inside cage as the unprivileged kiosk user on tty1', () => {
    expect(value('Service', 'ExecStart')).toMatch(/^\/usr\/bin\/cage .*-- \/usr\/bin\/hall-kiosk\b/);
    expect(value('Service', 'User')).toBe('kiosk');
    expect(value('Service', 'TTYPath')).toBe('/dev/tty1');
    expect(value('Unit', 'Conflicts')).toBe('getty@tty1.service');
    expect(value('Service', 'Environment')).toBe('HALL_KIOSK_DATA_DIR=/var/lib/hall-kiosk');
    expect(value('Service', 'StateDirectory')).toBe('hall-kiosk');
    expect(value('Install', 'WantedBy')).toBe('graphical.target');
  });

  it('the parser refuses what systemd would refuse', () => {
    expect(() => parseUnit('Restart=always\n')).toThrow(/outside a section/);
    expect(() => parseUnit('[Service]\nRestart always\n')).toThrow(/not "Key=value"/);
  });
});
