import type { CellKind } from './catalog-tables.ts';

/** A cell as spreadsheet readers give it; CSV gives only strings. */
export type CellValue = string | number | boolean | Date | null;

/** One sheet or CSV file: `rows[0]` is row 1, the header. */
export interface SheetRows {
  name: string;
  rows: CellValue[][];
}

export type CellResult = { ok: true; value: string | number | boolean | null | string[] | undefined } | { ok: false; message: string };

/** 0 → A, 25 → Z, 26 → AA: how a spreadsheet names the column. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

export function isEmptyCell(value: CellValue | undefined): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** Shows the offending value after the rule, so a person can find it even in a long sheet. */
function shown(value: CellValue): string {
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
  return `（现为“${text.length > 30 ? `${text.slice(0, 30)}…` : text}”）`;
}

// Full-width digits and letters (５, Ｙ) come from Chinese input methods; they mean the same.
const normalized = (value: string) => value.normalize('NFKC').trim();

const listSeparators = /[、,，;；\n]+/;
const yes = new Set(['是', 'y', 'yes', 'true', '1']);
const no = new Set(['否', 'n', 'no', 'false', '0']);

function intRule(kind: { min: number; max?: number }): string {
  if (kind.max !== undefined) return `必须是 ${kind.min}–${kind.max} 的整数`;
  return kind.min >= 1 ? '必须是正整数' : '必须是 0 或正整数';
}

export function parseCell(kind: CellKind, raw: CellValue): CellResult {
  if (raw instanceof Date) return { ok: false, message: `应为${kind.type === 'int' ? '整数' : '文字'}，不是日期${shown(raw)}` };
  if (isEmptyCell(raw)) {
    switch (kind.type) {
      case 'list':
        return { ok: true, value: [] };
      case 'text':
        return kind.optional ? { ok: true, value: undefined } : { ok: false, message: '必须填写' };
      case 'int':
        return kind.optional ? { ok: true, value: null } : { ok: false, message: `必须填写（${intRule(kind)}）` };
      case 'bool':
        return { ok: false, message: '必须填写“是”或“否”' };
      case 'choice':
        return { ok: false, message: `必须填写，可选：${kind.choices.map((c) => c.names[0]).join('、')}` };
    }
  }
  switch (kind.type) {
    case 'text':
      if (typeof raw === 'boolean') return { ok: false, message: `应为文字${shown(raw)}` };
      return { ok: true, value: String(raw).replace(/\r\n?/g, '\n').trim() };
    case 'list':
      return { ok: true, value: String(raw).split(listSeparators).map((s) => s.trim()).filter((s) => s !== '') };
    case 'int': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^[+-]?\d+$/.test(normalized(raw)) ? Number(normalized(raw)) : Number.NaN;
      const fits = Number.isSafeInteger(n) && n >= kind.min && (kind.max === undefined || n <= kind.max);
      return fits ? { ok: true, value: n } : { ok: false, message: `${intRule(kind)}${shown(raw)}` };
    }
    case 'bool': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      const word = normalized(String(raw)).toLowerCase();
      if (yes.has(word)) return { ok: true, value: true };
      if (no.has(word)) return { ok: true, value: false };
      return { ok: false, message: `应为“是”或“否”${shown(raw)}` };
    }
    case 'choice': {
      const word = normalized(String(raw)).toLowerCase();
      const found = kind.choices.find((c) => c.names.some((name) => name.toLowerCase() === word));
      return found ? { ok: true, value: found.value } : { ok: false, message: `应为以下之一：${kind.choices.map((c) => c.names[0]).join('、')}${shown(raw)}` };
    }
  }
}

/** The cell as the exported sheet shows it; the inverse of parseCell for every valid value. */
export function formatCell(kind: CellKind, value: string | number | boolean | null | undefined | readonly string[]): CellValue {
  if (value === undefined || value === null) return null;
  switch (kind.type) {
    case 'list':
      return (value as readonly string[]).join('、') || null;
    case 'bool':
      return value ? '是' : '否';
    case 'choice':
      return kind.choices.find((c) => c.value === value)?.names[0] ?? String(value);
    case 'int':
    case 'text':
      return value as string | number;
  }
}
