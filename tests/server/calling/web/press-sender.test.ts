import { describe, expect, it } from 'vitest';
import type { CounterPress, PressResult } from '../../../../core/queue/counter-api.ts';
import { PressSender } from '../../../../server/calling/web/press-sender.ts';
import type { HallCallResult } from '../../../../server/web/hall-client.ts';

/** A server that may lose answers: each send is recorded; `answers` says what comes back, in turn. */
function fakePort(answers: Array<'ok' | 'lost' | 'refused' | 'unauthorized' | 'throw'>) {
  const sent: Array<{ key: string; press: CounterPress }> = [];
  const done = new Set<string>();
  let release: (() => void) | null = null;
  const port = {
    sent,
    hold: false,
    release: () => release?.(),
    async send(key: string, press: CounterPress): Promise<HallCallResult<PressResult>> {
      sent.push({ key, press });
      if (port.hold) await new Promise<void>((r) => (release = r));
      const answer = answers.shift() ?? 'ok';
      if (answer === 'throw') throw new Error('boom');
      if (answer === 'lost') {
        // The server did it; the answer never arrived.
        done.add(key);
        return { ok: false, unreachable: true, message: 'connection reset' };
      }
      if (answer === 'refused') return { ok: false, unreachable: false, serverTime: 1, refusal: { status: 409, code: 'counter-refused', message: '暂不能过号', details: { refusal: 'no-show-too-soon', localized: { zh: 'A001暂不能过号', en: 'A001 cannot be a no-show yet' } } } };
      if (answer === 'unauthorized') return { ok: false, unreachable: false, serverTime: 1, refusal: { status: 401, code: 'token-invalid', message: 'sign in again', details: {} } };
      const replayed = done.has(key);
      done.add(key);
      return { ok: true, serverTime: 1, value: { action: press.action, window: null, leg: null, created: null, lastEventId: 1, replayed } };
    },
  };
  return port;
}

const keys = () => {
  let n = 0;
  return () => `key-${++n}-abcdefgh`;
};

describe('PressSender: nothing done twice', () => {
  it('sends a press the server never answered again with the same key, and the server says it is a replay', async () => {
    const port = fakePort(['lost', 'ok']);
    const sender = new PressSender(port, keys());
    expect((await sender.press({ action: 'call' })).kind).toBe('unreachable');
    expect(sender.pending).toEqual({ action: 'call' });
    const retried = await sender.retry();
    expect(retried).toMatchObject({ kind: 'done', result: { replayed: true } });
    expect(port.sent.map((s) => s.key)).toEqual(['key-1-abcdefgh', 'key-1-abcdefgh']);
    expect(sender.pending).toBeNull();
    expect(await sender.retry()).toBeNull();
  });

  it('reuses the key when the clerk presses the same button again, and takes a new one for the next press', async () => {
    const port = fakePort(['lost', 'ok', 'ok']);
    const sender = new PressSender(port, keys());
    await sender.press({ action: 'call' });
    await sender.press({ action: 'call' });
    await sender.press({ action: 'start' });
    expect(port.sent.map((s) => `${s.press.action} ${s.key}`)).toEqual(['call key-1-abcdefgh', 'call key-1-abcdefgh', 'start key-2-abcdefgh']);
  });

  it('lets an unanswered press go when the clerk presses another: the new one has its own key', async () => {
    const port = fakePort(['lost', 'ok']);
    const sender = new PressSender(port, keys());
    await sender.press({ action: 'call' });
    expect((await sender.press({ action: 'pause', reason: 'away', note: null })).kind).toBe('done');
    expect(port.sent.map((s) => s.key)).toEqual(['key-1-abcdefgh', 'key-2-abcdefgh']);
    expect(sender.pending).toBeNull();
  });

  it('drops a press while another is on its way (a double click)', async () => {
    const port = fakePort(['ok']);
    port.hold = true;
    const sender = new PressSender(port, keys());
    const first = sender.press({ action: 'call' });
    expect(sender.busy).toBe(true);
    expect(await sender.press({ action: 'call' })).toEqual({ kind: 'busy', press: { action: 'call' } });
    port.release();
    expect((await first).kind).toBe('done');
    expect(port.sent).toHaveLength(1);
  });

  it('reports a refusal with the server’s reason in both languages, and a lost session as signed out', async () => {
    const sender = new PressSender(fakePort(['refused', 'unauthorized', 'throw']), keys());
    expect(await sender.press({ action: 'no-show' })).toEqual({
      kind: 'refused',
      press: { action: 'no-show' },
      code: 'no-show-too-soon',
      reason: { zh: 'A001暂不能过号', en: 'A001 cannot be a no-show yet' },
      message: '暂不能过号',
    });
    expect(sender.pending).toBeNull();
    expect((await sender.press({ action: 'call' })).kind).toBe('signed-out');
    // A transport that throws is no answer: kept for retry.
    expect((await sender.press({ action: 'start' })).kind).toBe('unreachable');
    expect(sender.pending).toEqual({ action: 'start' });
  });
});
