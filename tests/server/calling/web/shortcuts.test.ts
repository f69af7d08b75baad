import { describe, expect, it } from 'vitest';
import type { KeyPress } from '../../../../server/calling/web/shortcuts.ts';
import { actionOfKey, defaultKeymap, keyLabel, keymapStorageKey, loadKeymap, rebind, saveKeymap } from '../../../../server/calling/web/shortcuts.ts';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

const key = (k: string, more: Partial<KeyPress> = {}): KeyPress => ({ key: k, ctrlKey: false, altKey: false, metaKey: false, inTextField: false, repeat: false, ...more });

describe('counter shortcuts', () => {
  it('by default F1 叫号, F2 重呼, F3 开始, F4 办结, F5 过号', () => {
    expect(['F1', 'F2', 'F3', 'F4', 'F5', 'F6'].map((k) => actionOfKey(defaultKeymap, key(k)))).toEqual(['call', 'recall', 'start', 'finish', 'no-show', null]);
  });

  it('does not press for a held key, a chord, or a character typed into a field', () => {
    expect(actionOfKey(defaultKeymap, key('F1', { repeat: true }))).toBeNull();
    expect(actionOfKey(defaultKeymap, key('F1', { ctrlKey: true }))).toBeNull();
    expect(actionOfKey(defaultKeymap, key('F1', { altKey: true }))).toBeNull();
    const keypad = rebind(defaultKeymap, 'call', '1');
    expect(actionOfKey(keypad, key('1'))).toBe('call');
    expect(actionOfKey(keypad, key('1', { inTextField: true }))).toBeNull();
    // A function key is no typing: it still presses from a field.
    expect(actionOfKey(keypad, key('F4', { inTextField: true }))).toBe('finish');
  });

  it('gives a key to one action only, matching letters in either case', () => {
    const moved = rebind(defaultKeymap, 'suspend', 'F1');
    expect(moved.suspend).toBe('F1');
    expect(moved.call).toBeUndefined();
    expect(actionOfKey(moved, key('F1'))).toBe('suspend');
    const letters = rebind(rebind(defaultKeymap, 'pause', 'p'), 'resume', 'P');
    expect(letters.pause).toBeUndefined();
    expect(actionOfKey(letters, key('p'))).toBe('resume');
    expect(rebind(defaultKeymap, 'call', null).call).toBeUndefined();
  });

  it('keeps the map per browser and falls back to the defaults on anything unreadable', () => {
    const storage = new MemoryStorage();
    expect(loadKeymap(storage)).toEqual(defaultKeymap);
    const mine = rebind(defaultKeymap, 'call', 'Enter');
    saveKeymap(storage, mine);
    expect(loadKeymap(storage)).toEqual(mine);
    for (const bad of ['not json', '{"call": 7}', '{"explode": "F1"}', '{"call": "F1", "start": "F1"}']) {
      storage.setItem(keymapStorageKey, bad);
      expect(loadKeymap(storage), bad).toEqual(defaultKeymap);
    }
    expect(loadKeymap(null)).toEqual(defaultKeymap);
  });

  it('writes keys as a keypad shows them', () => {
    expect([keyLabel('F1'), keyLabel('a'), keyLabel(' '), keyLabel('Enter')]).toEqual(['F1', 'A', 'Space', 'Enter']);
  });
});
