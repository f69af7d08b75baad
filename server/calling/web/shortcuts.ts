import { z } from 'zod';

/**
 * Keyboard shortcuts of the counter app. A USB calling keypad (叫号器) is a keyboard, so its keys
 * are shortcuts like any other. Keys are `KeyboardEvent.key` values ("F1", "Enter", "7"); each
 * key does one action; the map is kept per browser (localStorage), so each window PC has its own.
 */

/** The actions a key can press: the buttons of the desk (回呼 and 转移 need a choice, so no key). */
export const shortcutActions = ['call', 'recall', 'start', 'finish', 'no-show', 'recycle', 'suspend', 'pause', 'resume'] as const;
export type ShortcutAction = (typeof shortcutActions)[number];

export type Keymap = { readonly [A in ShortcutAction]?: string };

export const defaultKeymap: Keymap = { call: 'F1', recall: 'F2', start: 'F3', finish: 'F4', 'no-show': 'F5' };

export const keymapStorageKey = 'counter.shortcuts';

const keySchema = z.string().min(1).max(32);
const keymapSchema = z.partialRecord(z.enum(shortcutActions), keySchema);

/** The map this browser saved, or the defaults when it saved none or something unreadable. */
export function loadKeymap(storage: Pick<Storage, 'getItem'> | null): Keymap {
  const text = storage?.getItem(keymapStorageKey);
  if (!text) return defaultKeymap;
  try {
    const parsed = keymapSchema.safeParse(JSON.parse(text));
    return parsed.success && isOneToOne(parsed.data) ? parsed.data : defaultKeymap;
  } catch {
    return defaultKeymap;
  }
}

export function saveKeymap(storage: Pick<Storage, 'setItem'> | null, keymap: Keymap): void {
  storage?.setItem(keymapStorageKey, JSON.stringify(keymap));
}

function isOneToOne(keymap: Keymap): boolean {
  const keys = Object.values(keymap).map(normalKey);
  return new Set(keys).size === keys.length;
}

/** Letters match in either case (a keypad with Caps Lock on still calls). */
function normalKey(key: string): string {
  return key.length === 1 ? key.toLowerCase() : key;
}

/** `key` for `action`, taken from whichever action had it: one key, one action. null unbinds. */
export function rebind(keymap: Keymap, action: ShortcutAction, key: string | null): Keymap {
  const next: { [A in ShortcutAction]?: string } = {};
  for (const a of shortcutActions) {
    const bound = keymap[a];
    if (a === action || bound === undefined) continue;
    if (key !== null && normalKey(bound) === normalKey(key)) continue;
    next[a] = bound;
  }
  if (key !== null) next[action] = key;
  return next;
}

/** Keys never taken for a shortcut: they move focus, leave a dialog, or edit text. */
const reservedKeys = new Set(['Tab', 'Escape', 'Shift', 'Control', 'Alt', 'Meta', 'CapsLock', 'Backspace', 'Dead', 'Unidentified', 'Process']);

export function isBindableKey(key: string): boolean {
  return !reservedKeys.has(key);
}

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  /** the key went to a text field */
  inTextField: boolean;
  repeat: boolean;
}

/**
 * The action a key press asks for, or null. A key held down does not repeat a press; chords with
 * Ctrl, Alt or Meta are the browser's; in a text field a character key is typing, not a shortcut.
 */
export function actionOfKey(keymap: Keymap, press: KeyPress): ShortcutAction | null {
  if (press.repeat || press.ctrlKey || press.altKey || press.metaKey) return null;
  if (press.inTextField && press.key.length === 1) return null;
  const key = normalKey(press.key);
  return shortcutActions.find((a) => keymap[a] !== undefined && normalKey(keymap[a]) === key) ?? null;
}

/** How a key is written on its button: F1 as F1, a space as "Space", a letter in capitals. */
export function keyLabel(key: string): string {
  if (key === ' ') return 'Space';
  return key.length === 1 ? key.toUpperCase() : key;
}
