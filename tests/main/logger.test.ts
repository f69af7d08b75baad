import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKioskLogger, redactDeep } from '../../main/services/logger.ts';

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
    const logger = createKioskLogger({ logDir: dir, stdout: false, maxFileBytes: 2_000 });
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
});
