import type { FastifyRequest } from 'fastify';
import { hallLocalTime } from '../../core/calendar/business-day.ts';
import { loginAdmin } from './admin-users.ts';
import type { AdminLogin } from './admin-users.ts';
import { readHallState } from '../hall/hall-settings.ts';
import type { RouteContext } from '../http/route-context.ts';

export type AuditedLogin = Extract<AdminLogin, { ok: true }> | { ok: false; locked: { until: number; hallTime: string } | null };

/**
 * An admin login from the API or the login page, with its audit line: every failure is logged
 * with the address and the failure count. The user name is logged only when it is an admin's —
 * a password typed into the name field must not end up in the log — and the password never is.
 */
export async function auditedLogin(ctx: Pick<RouteContext, 'db' | 'clock'>, request: FastifyRequest, username: string, password: string): Promise<AuditedLogin> {
  const login = await loginAdmin(ctx.db, ctx.clock, username, password);
  if (login.ok) {
    request.log.info({ audit: 'admin-login', user: username, address: request.ip }, 'admin logged in');
    return login;
  }
  const lockedUntil = login.lockedUntil;
  const audit = {
    audit: login.reason === 'locked' ? 'admin-login-locked' : 'admin-login-failed',
    user: login.knownUser ? username : null,
    address: request.ip,
    ...(login.reason === 'invalid' ? { failures: login.failures } : {}),
    lockedUntil,
  };
  request.log.warn(audit, login.reason === 'locked' ? 'admin login refused: the account is locked' : 'admin login failed');
  if (lockedUntil === null) return { ok: false, locked: null };
  const { timeZone } = await readHallState(ctx.db);
  return { ok: false, locked: { until: lockedUntil, hallTime: hallLocalTime(lockedUntil, timeZone).time.slice(0, 5) } };
}
