import { describe, expect, it } from 'vitest';
import { EventStreamReader } from '../../../core/http/event-stream-reader.ts';

describe('the event-stream reader', () => {
  it('frames events across chunk boundaries and line endings, skipping comments', () => {
    const reader = new EventStreamReader();
    expect(reader.push('retry: 2000\n\n: keep-alive\n\nevent: queue-state\nda')).toEqual([]);
    expect(reader.push('ta: {"a":1}\r')).toEqual([]);
    expect(reader.push('\n\r\ndata: one\ndata:two\n\n')).toEqual([
      { event: 'queue-state', data: '{"a":1}', id: null },
      { event: 'message', data: 'one\ntwo', id: null },
    ]);
  });

  it('carries the last event id forward until the next id line, as EventSource does', () => {
    const reader = new EventStreamReader();
    expect(reader.push('id: 7\nevent: call\ndata: a\n\ndata: b\n\nid: 9\ndata: c\n\nid: x\0y\ndata: d\n\n')).toEqual([
      { event: 'call', data: 'a', id: '7' },
      { event: 'message', data: 'b', id: '7' },
      { event: 'message', data: 'c', id: '9' },
      { event: 'message', data: 'd', id: '9' },
    ]);
  });

  it('refuses an event it would have to buffer without end', () => {
    expect(() => new EventStreamReader().push('data: '.padEnd(2 * 1024 * 1024, 'x'))).toThrow(/larger than 1 MiB/);
  });
});
