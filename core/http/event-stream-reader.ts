/**
 * The text/event-stream framing (WHATWG HTML §9.2), the part a client needs: `event:` and
 * `data:` and `id:` fields, events ended by a blank line, comments ignored. Node has no
 * EventSource, and the browser's cannot send a token in a header, so the kiosk's privileged side
 * and the hall server's web pages (server/web/) read the hall server's streams with fetch and this.
 */
export interface StreamEvent {
  /** "message" when the server named none */
  event: string;
  data: string;
  /** the stream's last event id as of this event (an `id:` line persists until the next); null before any */
  id: string | null;
}

/** A queue state is a few kilobytes; a line longer than this is not a stream we understand. */
const maxPendingChars = 1024 * 1024;

export class EventStreamReader {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private lastId: string | null = null;

  /** Feed decoded text as it arrives; returns the events it completed. */
  push(text: string): StreamEvent[] {
    this.buffer += text;
    const out: StreamEvent[] = [];
    for (;;) {
      const end = this.buffer.search(/\r\n|\r|\n/);
      // A lone \r at the end may be the first half of \r\n: wait for the next chunk.
      if (end < 0 || (end === this.buffer.length - 1 && this.buffer[end] === '\r')) break;
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + (this.buffer.startsWith('\r\n', end) ? 2 : 1));
      const done = this.line(line);
      if (done) out.push(done);
    }
    if (this.buffer.length > maxPendingChars || this.data.reduce((n, d) => n + d.length, 0) > maxPendingChars) throw new Error('event stream: an event larger than 1 MiB');
    return out;
  }

  private line(line: string): StreamEvent | null {
    if (line === '') {
      const complete = this.data.length > 0 ? { event: this.event || 'message', data: this.data.join('\n'), id: this.lastId } : null;
      this.event = '';
      this.data = [];
      return complete;
    }
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    // A NUL in an id is ignored by the standard: it could not be sent back in a header.
    else if (field === 'id' && !value.includes('\0')) this.lastId = value;
    return null;
  }
}
