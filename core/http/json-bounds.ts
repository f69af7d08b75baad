import { z } from 'zod';

/**
 * How deep and how large a JSON value may be where a contract leaves its shape open. JSON.parse
 * reads any depth, but JSON.stringify, structuredClone (IPC) and every recursive walk throw
 * "Maximum call stack size exceeded" at some ten thousand levels: a 40 KB body of nested arrays
 * would stall whoever stores, forwards or logs it. So open values are measured here, without
 * recursion, before anything else touches them.
 */
export interface JsonBounds {
  maxDepth: number;
  /** the value's size as JSON text (UTF-16 code units: near enough to bytes for a bound) */
  maxChars: number;
}

/**
 * An event payload the contract does not describe (a type this side does not know, or keys a
 * known type does not have). The largest real payload, a disclosure slip of a few dozen
 * materials, is about 3 KB and 4 levels deep; a newer kiosk's event has room to grow.
 */
export const freeFormPayloadBounds: JsonBounds = { maxDepth: 16, maxChars: 32 * 1024 };

/**
 * Any JSON body read from the network, whatever the route, request or answer: the deepest real
 * one (a catalog import with its guides) is under 10 levels. Body limits bound the size.
 */
export const jsonMaxDepth = 64;

/** Why `value` exceeds `bounds`, or null. Stops at the first excess, so a huge value costs little. */
export function jsonBoundsProblem(value: unknown, bounds: JsonBounds): string | null {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  const counting = Number.isFinite(bounds.maxChars);
  let chars = 0;
  while (stack.length > 0) {
    const { value: item, depth } = stack.pop()!;
    if (typeof item === 'string') chars += counting ? JSON.stringify(item).length : 0;
    else if (typeof item === 'number' || typeof item === 'boolean') chars += String(item).length;
    else if (item === null || item === undefined) chars += 4;
    else if (typeof item === 'object') {
      if (depth + 1 > bounds.maxDepth) return `nested deeper than ${bounds.maxDepth} levels`;
      if (Array.isArray(item)) {
        chars += 1 + Math.max(1, item.length);
        for (let i = item.length - 1; i >= 0; i--) stack.push({ value: item[i], depth: depth + 1 });
      } else {
        const entries = Object.entries(item);
        chars += 1 + Math.max(1, entries.length);
        for (let i = entries.length - 1; i >= 0; i--) {
          if (counting) chars += JSON.stringify(entries[i]![0]).length + 1;
          stack.push({ value: entries[i]![1], depth: depth + 1 });
        }
      }
    } else return `holds a ${typeof item}, which is not JSON`;
    if (chars > bounds.maxChars) return `larger than ${bounds.maxChars} characters as JSON`;
  }
  return null;
}

/**
 * The deepest nesting of JSON text, read without parsing it (strings skipped), stopping as soon
 * as it passes `maxDepth`: true when it does. For bodies and files before JSON.parse.
 */
export function jsonTextTooDeep(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** A free-form JSON value within `bounds`: kiosk and server refuse the same values, with the reason. */
export function boundedJsonSchema(bounds: JsonBounds = freeFormPayloadBounds) {
  return z.unknown().superRefine((value, ctx) => {
    const problem = jsonBoundsProblem(value, bounds);
    if (problem) ctx.addIssue({ code: 'custom', message: `free-form JSON ${problem}` });
  });
}
