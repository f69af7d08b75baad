import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, RouteHandlerMethod } from 'fastify';
import { ApiError } from './api-error.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** this process's admitted requests (registerLoadShedding) */
    load: InFlightGate;
  }
  interface FastifyContextConfig {
    /** false: the route is not counted as work (a long-lived stream would hold a slot for hours) */
    shed?: boolean;
  }
}

export interface InFlightLimit {
  /** requests one server process works on at once; past it, 503 at once */
  maxInFlight: number;
  /** what the refusal tells the client to wait */
  retryAfterSeconds: number;
}

/**
 * At the ~1,000 numbers a second one process gets from PostgreSQL, 64 requests at once wait some
 * 60 ms for their turn: far inside the kiosk's 1.5 s, so whatever the server accepts it answers in
 * time, and what it cannot it refuses at once — the kiosk then issues from its leased reserve.
 */
export const defaultInFlightLimit: InFlightLimit = { maxInFlight: 64, retryAfterSeconds: 1 };

/** The process's count of admitted requests, for the limit and for whoever watches it. */
export class InFlightGate {
  inFlight = 0;
  /** the most admitted at once since start */
  peak = 0;
  admitted = 0;
  refused = 0;

  constructor(readonly limit: InFlightLimit) {}

  tryEnter(): boolean {
    if (this.inFlight >= this.limit.maxInFlight) {
      this.refused++;
      return false;
    }
    this.inFlight++;
    this.admitted++;
    if (this.inFlight > this.peak) this.peak = this.inFlight;
    return true;
  }

  leave(): void {
    this.inFlight--;
  }
}

/** One admitted request: its slot is given back when its answer is over and its handler is done. */
interface Admission {
  working: boolean;
  closed: boolean;
  released: boolean;
}

function release(gate: InFlightGate, admission: Admission): void {
  if (admission.released) return;
  admission.released = true;
  gate.leave();
}

/**
 * Bounded work per process instead of a queue: past `maxInFlight`, a request is answered 503 with
 * Retry-After before anything else happens to it (no authentication, no body read, no database),
 * so overload never makes the accepted requests wait in line past the point anyone waits for
 * them. Call before any route is registered: it wraps each handler to know when its work is done.
 */
export function registerLoadShedding(app: FastifyInstance, gate: InFlightGate): void {
  const admissions = new WeakMap<IncomingMessage, Admission>();
  app.decorate('load', gate);
  const { retryAfterSeconds } = gate.limit;

  app.addHook('onRoute', (route) => {
    if (route.config?.shed === false) return;
    const handler = route.handler as RouteHandlerMethod;
    route.handler = async function (this: FastifyInstance, request, reply) {
      const admission = admissions.get(request.raw);
      if (admission) admission.working = true;
      try {
        return await handler.call(this, request, reply);
      } finally {
        // A client that gave up does not end the work: the slot is held until the handler is done.
        if (admission) {
          admission.working = false;
          if (admission.closed) release(gate, admission);
        }
      }
    };
  });

  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config?.shed === false || request.routeOptions.url === undefined) return;
    if (!gate.tryEnter()) {
      throw new ApiError(503, 'overloaded', `the hall server is busy; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
    }
    const admission: Admission = { working: false, closed: false, released: false };
    admissions.set(request.raw, admission);
    // 'close' comes once the answer is sent or the connection is gone, whichever is first.
    reply.raw.once('close', () => {
      admission.closed = true;
      if (!admission.working) release(gate, admission);
    });
  });
}
