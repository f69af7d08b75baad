import { describe, expect, it } from 'vitest';
import { checkHallPublicAddress, liveTicketUrl, liveTokenOf, liveTokenSchema } from '../../../core/ticket/live-ticket.ts';
import { seededRandom } from '../../support/seeded-random.ts';

describe('the hall public address', () => {
  it.each([
    ['https://zwfw.example.gov.cn', 'https://zwfw.example.gov.cn'],
    ['https://zwfw.example.gov.cn/', 'https://zwfw.example.gov.cn'],
    ['http://192.168.1.10:8480', 'http://192.168.1.10:8480'],
    ['  https://zwfw.example.gov.cn/hall/queue/  ', 'https://zwfw.example.gov.cn/hall/queue'],
    ['HTTPS://xn--fiq228c.cn', 'HTTPS://xn--fiq228c.cn'],
    ['http://[::1]:8480', 'http://[::1]:8480'],
  ])('takes %s as %s', (text, kept) => {
    expect(checkHallPublicAddress(text)).toEqual({ ok: true, address: kept });
  });

  it.each([
    ['', 'empty'],
    ['zwfw.example.gov.cn', 'absolute http(s)'],
    ['ftp://zwfw.example.gov.cn', 'absolute http(s)'],
    ['https://', 'no valid host'],
    ['https://zwfw.example.gov.cn?from=qr', 'query'],
    ['https://zwfw.example.gov.cn/#top', 'fragment'],
    ['https://admin:secret@zwfw.example.gov.cn', 'user name or password'],
    ['https://政务.cn', 'not ASCII'],
    ['https://zwfw example.cn', 'spaces'],
    ['https://zwfw.example.gov.cn:99999', 'port'],
    ['https://-bad-.cn', 'no valid host'],
    ['https://zwfw.example.gov.cn/a"b', 'path'],
    [`https://${'a'.repeat(200)}.cn`, 'longer than 200'],
  ])('refuses %j, saying why (%s)', (text, why) => {
    const checked = checkHallPublicAddress(text);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.message).toContain(why);
  });
});

describe('the live ticket token and address', () => {
  it('is 22 base64url characters of 16 random bytes, different for different bytes', () => {
    const random = seededRandom(15);
    const tokens = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const token = liveTokenOf(Uint8Array.from({ length: 16 }, () => Math.floor(random() * 256)));
      expect(liveTokenSchema.safeParse(token).success, token).toBe(true);
      tokens.add(token);
    }
    expect(tokens.size).toBe(500);
    expect(liveTokenOf(new Uint8Array(16))).toBe('AAAAAAAAAAAAAAAAAAAAAA');
    expect(liveTokenOf(new Uint8Array(16).fill(255))).toBe('_____________________w');
    expect(() => liveTokenOf(new Uint8Array(8))).toThrow(/16 random bytes/);
  });

  it('is the address and /t/<token>, or nothing without either', () => {
    expect(liveTicketUrl('https://zwfw.example.gov.cn/hall', 'AQgPFh0kKzI5QEdOVVxjag')).toBe('https://zwfw.example.gov.cn/hall/t/AQgPFh0kKzI5QEdOVVxjag');
    expect(liveTicketUrl(null, 'AQgPFh0kKzI5QEdOVVxjag')).toBeNull();
    expect(liveTicketUrl(undefined, 'AQgPFh0kKzI5QEdOVVxjag')).toBeNull();
    expect(liveTicketUrl('https://zwfw.example.gov.cn', undefined)).toBeNull();
  });
});
