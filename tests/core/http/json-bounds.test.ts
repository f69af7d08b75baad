import { describe, expect, it } from 'vitest';
import { serverRequestSchema } from '../../../core/http/central-server-request.ts';
import { freeFormPayloadBounds, jsonBoundsProblem, jsonTextTooDeep } from '../../../core/http/json-bounds.ts';

function nested(levels: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { k: value };
  return value;
}

describe('JSON bounds', () => {
  it('measures depth without recursion, however deep', () => {
    expect(jsonBoundsProblem(nested(16), freeFormPayloadBounds)).toBeNull();
    expect(jsonBoundsProblem(nested(17), freeFormPayloadBounds)).toBe('nested deeper than 16 levels');
    // Far past what JSON.stringify survives: still a plain answer.
    expect(() => JSON.stringify(nested(100_000))).toThrow(RangeError);
    expect(jsonBoundsProblem(nested(100_000), freeFormPayloadBounds)).toBe('nested deeper than 16 levels');
  });

  it('bounds the size as JSON text, keys and escapes included, and names values that are not JSON', () => {
    const fits = { a: 'x'.repeat(freeFormPayloadBounds.maxChars - 12) };
    expect(JSON.stringify(fits).length).toBeLessThanOrEqual(freeFormPayloadBounds.maxChars);
    expect(jsonBoundsProblem(fits, freeFormPayloadBounds)).toBeNull();
    expect(jsonBoundsProblem({ a: '"'.repeat(freeFormPayloadBounds.maxChars / 2) }, freeFormPayloadBounds)).toBe('larger than 32768 characters as JSON');
    expect(jsonBoundsProblem(Array.from({ length: 20_000 }, () => 1), freeFormPayloadBounds)).toBe('larger than 32768 characters as JSON');
    expect(jsonBoundsProblem({ n: 10n }, freeFormPayloadBounds)).toBe('holds a bigint, which is not JSON');
  });

  it('reads the depth of JSON text, skipping brackets inside strings', () => {
    expect(jsonTextTooDeep(`${'['.repeat(64)}${']'.repeat(64)}`, 64)).toBe(false);
    expect(jsonTextTooDeep(`${'['.repeat(65)}${']'.repeat(65)}`, 64)).toBe(true);
    expect(jsonTextTooDeep(JSON.stringify({ s: '[[[[[{{{{\\"[[[[' }), 2)).toBe(false);
    expect(jsonTextTooDeep('[[], [], [[]]]', 3)).toBe(false);
    expect(jsonTextTooDeep('[[], [], [[[]]]]', 3)).toBe(true);
  });

  it('keeps a page from handing the privileged side a body it cannot serialise', () => {
    const refused = serverRequestSchema.safeParse({ method: 'POST', path: '/api/v1/sync/push', body: nested(20_000) });
    expect(refused.success).toBe(false);
    expect(refused.error!.issues[0]).toMatchObject({ path: ['body'], message: expect.stringContaining('nested deeper than 64 levels') });
    expect(serverRequestSchema.safeParse({ method: 'POST', path: '/api/v1/sync/push', body: nested(10) }).success).toBe(true);
  });
});
