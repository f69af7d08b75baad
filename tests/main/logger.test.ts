import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKioskLogger, kioskLogFiles, RecentLogEntries, redactDeep, scrubText } from '../../main/services/logger.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hall-kiosk-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('kiosk logger', () => {
  it('keeps personal fields and credentials out of the log file, at any depth', () => {
    const logger = createKioskLogger({ logDir: dir, stdout: false });
    logger.info(
      {
        pin: '924617',
        token: 'tok-SECRET-1',
        citizen: { name: '张三丰', idNumber: '110101199003074514', phone: '13800138000', contact: { Phone: '13900139000' } },
        tickets: [{ label: 'A012', name: '李四光' }],
        service: '户籍办理',
      },
      'ticket issued',
    );
    logger.flush();
    const text = readFileSync(join(dir, 'kiosk.log'), 'utf8');
    for (const secret of ['924617', 'tok-SECRET-1', '张三丰', '110101199003074514', '13800138000', '13900139000', '李四光']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('户籍办理');
    expect(text).toContain('A012');
    expect(text).toContain('[redacted]');
  });

  it('keeps an error readable (its class name is not a person)', () => {
    const logger = createKioskLogger({ logDir: dir, stdout: false });
    logger.error({ err: new TypeError('boom') }, 'failed');
    logger.flush();
    const line = JSON.parse(readFileSync(join(dir, 'kiosk.log'), 'utf8').trim()) as { err: { type: string; message: string } };
    expect(line.err).toMatchObject({ type: 'TypeError', message: 'boom' });
  });

  it('moves a full log aside and starts a new one', () => {
    const logger = createKioskLogger({ logDir: dir, stdout: false, maxFileBytes: 2_000, keepFiles: 1 });
    for (let i = 0; i < 40; i++) logger.info({ i }, 'a line long enough to fill the small file quickly');
    logger.flush();
    expect(readdirSync(dir).sort()).toEqual(['kiosk.log', 'kiosk.log.1']);
    expect(readFileSync(join(dir, 'kiosk.log'), 'utf8').length).toBeLessThan(2_000);
  });

  it('redacts without touching the original object', () => {
    const original = { user: { pin: '1234' } };
    expect(redactDeep(original)).toEqual({ user: { pin: '[redacted]' } });
    expect(original.user.pin).toBe('1234');
  });

  it('scrubs ID and mobile numbers out of free text: messages, string values and error messages', () => {
    const logger = createKioskLogger({ logDir: dir, stdout: false });
    logger.warn({ detail: 'server said: 证件号 11010119900307451X 无效', note: 'call +86 139-0013-9000? no: 13900139000' }, 'lookup for 110101199003074514 failed');
    logger.error({ err: new Error('bad request body {"phone":"13800138000"}') }, 'push failed');
    logger.info({ staff: { template: 'AAECAwQ=' }, fingerprint: { page: 3 } }, 'template stored');
    logger.flush();
    const text = readFileSync(join(dir, 'kiosk.log'), 'utf8');
    for (const secret of ['11010119900307451X', '110101199003074514', '13900139000', '13800138000', 'AAECAwQ=']) expect(text).not.toContain(secret);
    expect(text).toContain('[id-number]');
    expect(text).toContain('[phone]');
    // Ordinary numbers stay: ticket labels, ports, timestamps, byte counts.
    expect(scrubText('A012 on port 9100 at 1733100000000, 4096 bytes')).toBe('A012 on port 9100 at 1733100000000, 4096 bytes');
  });

  it('keeps a fixed number of full files, oldest dropped, and lists them oldest first', () => {
    // Line length varies with the host name and pid: the last line may just have rotated kiosk.log, leaving it empty.
    const logger = createKioskLogger({ logDir: dir, stdout: false, maxFileBytes: 1_000, keepFiles: 3 });
    for (let i = 0; i < 200; i++) logger.info({ i }, 'a line long enough to fill the small file quickly');
    logger.flush();
    expect(readdirSync(dir).sort()).toEqual(['kiosk.log', 'kiosk.log.1', 'kiosk.log.2', 'kiosk.log.3']);
    const files = kioskLogFiles(dir);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['kiosk.log.3', 'kiosk.log.2', 'kiosk.log.1', 'kiosk.log']);
    const numbers = files.flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((l) => l !== '').map((l) => (JSON.parse(l) as { i: number }).i));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(numbers.at(-1)).toBe(199);
  });

  it('keeps the latest warnings and errors in memory, redacted, newest first', () => {
    const recent = new RecentLogEntries(2);
    const logger = createKioskLogger({ stdout: false, recent });
    logger.info('fine');
    logger.warn({ phone: '13800138000' }, 'printer status poll failed');
    logger.error({ err: new Error('ECONNREFUSED for 13800138000') }, 'push failed');
    logger.error('third');
    expect(recent.list().map((e) => [e.level, e.message])).toEqual([
      ['error', 'third'],
      ['error', 'push failed: ECONNREFUSED for [phone]'],
    ]);
  });
});
