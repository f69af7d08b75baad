import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/calendar/clock.ts';
import type { CatalogStore } from '../catalog/catalog-store.ts';
import type { HallCalendarStore } from '../calendar/calendar-store.ts';
import type { Database } from '../db/schema.ts';
import type { RestoreGuard } from '../numbering/restore-guard.ts';
import type { PushHooks } from '../sync/push.ts';

/**
 * What every feature's routes are given by the app (server/http/app.ts). Kept apart from the app
 * so a feature's routes import this, not the app that imports them.
 */
export interface RouteContext {
  db: Kysely<Database>;
  clock: Clock;
  catalogs: CatalogStore;
  calendars: HallCalendarStore;
  hooks: PushHooks;
  /** tells a restored database before a number is handed out (server/numbering/restore-guard.ts) */
  restore: RestoreGuard;
  enrollmentTtlMs: number;
  /** check every JSON answer against the contract's response schema (tests, development) */
  checkResponses: boolean;
  requireDevice: (request: FastifyRequest) => Promise<void>;
  requireAdmin: (request: FastifyRequest) => Promise<void>;
  /** a counter session (hkc_ bearer token): sets request.counter */
  requireCounter: (request: FastifyRequest) => Promise<void>;
  /** a hall screen, by the token cookie its page got at enrolment: sets request.display */
  requireDisplay: (request: FastifyRequest) => Promise<void>;
  /** a device, counter or admin, by its token */
  requireSignedIn: (request: FastifyRequest) => Promise<void>;
  limitAnonymous: (request: FastifyRequest) => void;
}
