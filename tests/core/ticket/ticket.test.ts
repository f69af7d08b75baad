import { describe, expect, it } from 'vitest';
import { ticketNumberKey } from '../../../core/ticket/ticket.ts';

describe('ticketNumberKey: a ticket number however staff typed it', () => {
  it.each([
    ['A012', 'A12'],
    ['a12', 'A12'],
    [' a 0 1 2 ', 'A12'],
    ['ab0120', 'AB120'],
    ['A000', 'A0'],
  ])('%j is %j', (typed, key) => {
    expect(ticketNumberKey(typed)).toBe(key);
  });

  it('leaves what is not a ticket number as typed, compacted and upper-cased', () => {
    expect(ticketNumberKey('abc12')).toBe('ABC12');
    expect(ticketNumberKey('12')).toBe('12');
    expect(ticketNumberKey('')).toBe('');
  });
});
