import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RouteSpec } from '../../core/http/route-contract.ts';
import { isJsonBody } from '../../core/http/route-contract.ts';
import type { CounterCaller } from '../calling/counter-staff.ts';
import type { AuthenticatedDevice } from '../devices/devices.ts';
import type { AuthenticatedDisplay } from '../displays/displays.ts';
import { ApiError, fieldPath, parseOrThrow } from './api-error.ts';
import type { RouteContext } from './route-context.ts';

type ParamsOf<S extends RouteSpec> = S['params'] extends Readonly<Record<string, z.ZodType>> ? { [K in keyof S['params']]: z.output<S['params'][K]> } : Record<string, never>;
type QueryOf<S extends RouteSpec> = S['query'] extends z.ZodType ? z.output<S['query']> : undefined;
type BodyOf<S extends RouteSpec> = S['body'] extends z.ZodType ? z.output<S['body']> : undefined;
type CallerOf<S extends RouteSpec> = S['caller'] extends 'device'
  ? { device: AuthenticatedDevice }
  : S['caller'] extends 'admin'
    ? { admin: string }
    : S['caller'] extends 'counter'
      ? { counter: CounterCaller }
      : S['caller'] extends 'display'
        ? { display: AuthenticatedDisplay }
        : unknown;

/** A request as the contract describes it: parsed parameters, query and body, and who sent it. */
export type ContractCall<S extends RouteSpec> = { params: ParamsOf<S>; query: QueryOf<S>; body: BodyOf<S> } & CallerOf<S>;
/** What the handler answers: the response schema's input (the hooks add `serverTime` where it is missing). */
export type ContractAnswer<S extends RouteSpec> = S['response'] extends z.ZodType ? z.input<S['response']> : unknown;
export type ContractHandler<S extends RouteSpec> = (call: ContractCall<S>, request: FastifyRequest, reply: FastifyReply) => Promise<ContractAnswer<S>>;

/** The server's own choices for a route, beside what the contract says. */
export interface ServeOptions {
  /** bytes; larger bodies get 413 before they are read */
  bodyLimit?: number;
  /** Fastify route config, e.g. `{ shed: false }` for a long-lived stream (load-shedding.ts) */
  config?: { shed?: boolean };
  /** count the request against its client address before the body is read: routes that guess secrets (codes, passwords) */
  limitAnonymous?: boolean;
}

export interface Serve {
  <const S extends RouteSpec>(spec: S, handler: ContractHandler<S>): void;
  <const S extends RouteSpec>(spec: S, options: ServeOptions, handler: ContractHandler<S>): void;
}

/**
 * Registers routes from the contract (core/http/contract.ts): `serve(hallApi.numbersNext, handler)`.
 * Each route authenticates by its caller in onRequest, before the body is read (a device's
 * token, an admin's or a counter's session); then its parameters, query and body are parsed with the
 * contract's schemas (400 `invalid-body` naming the field) and the handler gets them typed.
 * With `ctx.checkResponses` (tests, development) every JSON answer is checked against the
 * contract's response schema too; in production that costs nothing.
 */
export function contractRoutes(app: FastifyInstance, ctx: RouteContext): Serve {
  return (<S extends RouteSpec>(spec: S, optionsOrHandler: ServeOptions | ContractHandler<S>, maybeHandler?: ContractHandler<S>) => {
    const [options, handler] = typeof optionsOrHandler === 'function' ? [{}, optionsOrHandler] : [optionsOrHandler, maybeHandler!];
    serveRoute(app, ctx, spec, options, handler);
  }) as Serve;
}

function serveRoute<S extends RouteSpec>(app: FastifyInstance, ctx: RouteContext, spec: S, options: ServeOptions, handler: ContractHandler<S>): void {
  const onRequest: Array<(request: FastifyRequest) => Promise<void>> = [];
  if (options.limitAnonymous) onRequest.push(async (request) => ctx.limitAnonymous(request));
  switch (spec.caller) {
    case 'device':
      onRequest.push(ctx.requireDevice);
      break;
    case 'admin':
      onRequest.push(ctx.requireAdmin);
      break;
    case 'counter':
      onRequest.push(ctx.requireCounter);
      break;
    case 'signed-in':
      onRequest.push(ctx.requireSignedIn);
      break;
    case 'public':
      break;
    case 'display':
      onRequest.push(ctx.requireDisplay);
      break;
  }
  const what = spec.summary;
  const params = spec.params ? z.object(spec.params) : null;
  const { query, body } = spec;
  const answerSchema = ctx.checkResponses && isJsonBody(spec.response) ? spec.response : null;
  const label = `${spec.method} ${spec.path}`;

  app.route({
    method: spec.method,
    url: spec.path,
    ...(onRequest.length ? { onRequest } : {}),
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
    ...(options.config ? { config: options.config } : {}),
    handler: async (request, reply) => {
      const call = {
        params: params ? parseOrThrow(params, request.params, what) : {},
        query: query ? parseOrThrow(query, request.query, what) : undefined,
        body: body ? parseOrThrow(body, request.body, what) : undefined,
        device: request.device,
        admin: request.adminUser,
        counter: request.counter,
        display: request.display,
      } as unknown as ContractCall<S>;
      const answer = await handler(call, request, reply);
      if (answerSchema && !reply.sent) checkAnswer(answerSchema, answer, label);
      return answer;
    },
  });
}

/** A handler that answers outside its contract is the server's bug: a 500 that says where. */
function checkAnswer(schema: z.ZodType, answer: unknown, label: string): void {
  const parsed = schema.safeParse(answer);
  if (parsed.success) return;
  const issue = parsed.error.issues[0]!;
  throw new ApiError(500, 'internal', `${label} answered outside its contract: ${fieldPath(issue.path) || '(root)'}: ${issue.message}`);
}
