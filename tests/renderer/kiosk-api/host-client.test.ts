import { describe, expect, it, vi } from 'vitest';
import type { KioskEvent } from '../../../core/kiosk/kiosk-api.ts';
import { KioskCallError } from '../../../core/kiosk/kiosk-api.ts';
import type { EventStream } from '../../../renderer/kiosk-api/host-client.ts';
import { createHostKioskApi } from '../../../renderer/kiosk-api/host-client.ts';
import { hostTokenStorageKey, takeHostToken } from '../../../renderer/kiosk-api/host-token.ts';

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  const items = new Map<string, string>();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) };
}

describe('takeHostToken', () => {
  it('takes the token from the fragment, keeps it for the session and removes it from the URL', () => {
    const storage = memoryStorage();
    const replaceState = vi.fn();
    const token = takeHostToken({ location: { hash: '#token=s3cr3t-T0ken', pathname: '/', search: '?kiosk=1' }, history: { replaceState, state: null }, storage });
    expect(token).toBe('s3cr3t-T0ken');
    expect(storage.getItem(hostTokenStorageKey)).toBe('s3cr3t-T0ken');
    expect(replaceState).toHaveBeenCalledWith(null, '', '/?kiosk=1');

    // a reload has no fragment any more
    const again = takeHostToken({ location: { hash: '', pathname: '/', search: '?kiosk=1' }, history: { replaceState, state: null }, storage });
    expect(again).toBe('s3cr3t-T0ken');
    expect(replaceState).toHaveBeenCalledTimes(1);
  });

  it('keeps other fragment parameters', () => {
    const replaceState = vi.fn();
    takeHostToken({ location: { hash: '#token=abc&demo=1', pathname: '/index.html', search: '' }, history: { replaceState, state: null }, storage: memoryStorage() });
    expect(replaceState).toHaveBeenCalledWith(null, '', '/index.html#demo=1');
  });

  it('has nothing without a fragment or a stored token', () => {
    expect(takeHostToken({ location: { hash: '', pathname: '/', search: '' }, history: { replaceState: vi.fn(), state: null }, storage: memoryStorage() })).toBeNull();
  });
});

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

class FakeEventStream implements EventStream {
  onmessage: ((message: MessageEvent<string>) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  close(): void {
    this.closed = true;
  }
  emit(data: string): void {
    this.onmessage?.(new MessageEvent('message', { data }));
  }
}

describe('createHostKioskApi', () => {
  it('posts each call with the bearer token and returns the validated result', async () => {
    const fetch = vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => jsonResponse(200, { ok: true, result: { state: 'paper-out', paperNearEnd: false } }));
    const api = createHostKioskApi({ token: 'tok', fetch, openEvents: () => new FakeEventStream('') });
    await expect(api.printer.status()).resolves.toEqual({ state: 'paper-out', paperNearEnd: false });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/call');
    expect(init?.method).toBe('POST');
    expect(new Headers(init?.headers).get('authorization')).toBe('Bearer tok');
    expect(JSON.parse(String(init?.body))).toEqual({ method: 'printer.status', args: [] });
  });

  it('passes arguments through', async () => {
    const fetch = vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => jsonResponse(200, { ok: true, result: { ok: false, retryAfterSeconds: 30 } }));
    const api = createHostKioskApi({ token: 'tok', fetch, openEvents: () => new FakeEventStream('') });
    await expect(api.staff.verifyPin('1234')).resolves.toEqual({ ok: false, retryAfterSeconds: 30 });
    expect(JSON.parse(String(fetch.mock.calls[0]![1]?.body))).toEqual({ method: 'staff.verifyPin', args: ['1234'] });
  });

  it('turns an error answer into a KioskCallError naming the method', async () => {
    const fetch = async () => jsonResponse(403, { ok: false, error: 'bad token' });
    const api = createHostKioskApi({ token: 'tok', fetch, openEvents: () => new FakeEventStream('') });
    const call = api.config.get();
    await expect(call).rejects.toBeInstanceOf(KioskCallError);
    await expect(call).rejects.toThrow('config.get: bad token');
  });

  it('rejects answers that are not JSON or do not match the contract', async () => {
    const html = createHostKioskApi({ token: 't', fetch: async () => new Response('<html>', { status: 502 }), openEvents: () => new FakeEventStream('') });
    await expect(html.printer.status()).rejects.toThrow(/HTTP 502/);
    const wrong = createHostKioskApi({ token: 't', fetch: async () => jsonResponse(200, { ok: true, result: { state: 'on-fire' } }), openEvents: () => new FakeEventStream('') });
    await expect(wrong.printer.status()).rejects.toThrow();
    const down = createHostKioskApi({ token: 't', fetch: async () => Promise.reject(new TypeError('Failed to fetch')), openEvents: () => new FakeEventStream('') });
    await expect(down.printer.status()).rejects.toThrow('printer.status: host unreachable: Failed to fetch');
  });

  it('shares one event stream, skips what it does not understand, and closes when nobody listens', () => {
    const streams: FakeEventStream[] = [];
    const api = createHostKioskApi({
      token: 'a b',
      fetch: vi.fn(),
      openEvents: (url) => {
        const s = new FakeEventStream(url);
        streams.push(s);
        return s;
      },
    });
    const first: KioskEvent[] = [];
    const second: KioskEvent[] = [];
    const off1 = api.events.subscribe((e) => first.push(e));
    const off2 = api.events.subscribe((e) => second.push(e));
    expect(streams).toHaveLength(1);
    expect(streams[0]!.url).toBe('/api/events?token=a%20b');

    const event: KioskEvent = { type: 'printer-status', status: { state: 'cover-open', paperNearEnd: false } };
    streams[0]!.emit(JSON.stringify(event));
    streams[0]!.emit('not json');
    streams[0]!.emit(JSON.stringify({ type: 'something-new' }));
    expect(first).toEqual([event]);
    expect(second).toEqual([event]);

    off1();
    expect(streams[0]!.closed).toBe(false);
    off2();
    expect(streams[0]!.closed).toBe(true);
  });
});
