import type { z } from 'zod';

/**
 * What one route of the hall server is, for both ends of the wire: the server registers it from
 * this (server/http/contract-routes.ts) and every client builds its requests from it, so a path,
 * a parameter or a body shape exists once. The table itself is core/http/contract.ts.
 */

/**
 * Who may call a route. `device` is an enrolled kiosk's bearer token; `admin` an admin session
 * (bearer token of POST /admin/login); `public` anyone, rate-limited where it guards a secret;
 * `counter` a window's counter session (窗口叫号端, bearer token of POST /counter/sign-in);
 * `signed-in` any of device, counter or admin (the hall event stream every client reads).
 * `display` a hall screen (综合屏/窗口屏): its token in an HttpOnly cookie its page never reads.
 */
export const callers = ['public', 'device', 'admin', 'counter', 'signed-in', 'display'] as const;
export type Caller = (typeof callers)[number];

export const httpMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof httpMethods)[number];

/** A body that is not one JSON value: a file, a CSV or spreadsheet export, an event stream. */
export interface NonJsonBody {
  kind: 'file' | 'csv' | 'xlsx' | 'event-stream';
  contentType: string;
  /** for an event stream: each event's data, as JSON */
  events?: z.ZodType;
}

/**
 * The kiosk page may ask the privileged side to send this request for it (KioskApi's
 * server.request, core/http/central-server-request.ts). Anything not declared here stays out of
 * the page's reach, whatever the server would accept: each path parameter and query key the page
 * may fill is listed with the URL text it may be, a regex source without anchors.
 */
export interface PageAccess {
  params?: Readonly<Record<string, string>>;
  query?: Readonly<Record<string, string>>;
  /** only while a staff member is signed in at the kiosk (checked by the privileged side) */
  staffSession?: boolean;
}

export interface RouteSpec {
  method: HttpMethod;
  /** Fastify's syntax: `:name` is a path parameter */
  path: `/${string}`;
  caller: Caller;
  /** what the route does, in a few words; also names the request in refusals ("next number: …") */
  summary: string;
  /** one schema per `:name` of the path; the server parses the URL text with it */
  params?: Readonly<Record<string, z.ZodType>>;
  /** the query string as Fastify parses it (string values) */
  query?: z.ZodObject;
  body?: z.ZodType;
  /** the 2xx body; an error is always core/sync/errors.ts's ApiError */
  response: z.ZodType | NonJsonBody;
  page?: PageAccess;
}

/** `'/a/:b/c/:d'` → `'b' | 'd'` */
export type PathParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

type HasParams<S extends RouteSpec> = [PathParamNames<S['path']>] extends [never] ? false : true;

type ExactKeys<Given, Wanted extends PropertyKey> = { [K in Wanted]: unknown } & { [K in Exclude<keyof Given, Wanted>]: never };

/**
 * A spec whose `params` (and the page's) name exactly the path's parameters; a route open to the
 * page is a device's (or public) GET, POST or PUT, and its page query keys are the query schema's.
 */
type CheckedSpec<S extends RouteSpec> = S &
  (HasParams<S> extends true ? { params: ExactKeys<S['params'], PathParamNames<S['path']>> } : { params?: undefined }) &
  (S['page'] extends PageAccess
    ? {
        caller: 'device' | 'public';
        method: 'GET' | 'POST' | 'PUT';
        page: (HasParams<S> extends true ? { params: ExactKeys<NonNullable<S['page']>['params'], PathParamNames<S['path']>> } : { params?: undefined }) &
          (NonNullable<S['page']>['query'] extends object
            ? { query: { [K in keyof NonNullable<NonNullable<S['page']>['query']>]: K extends keyof z.input<NonNullable<S['query']>> ? string : never } }
            : unknown);
      }
    : unknown);

/** Declares one route; the type keeps its literal method and path and checks its parameters. */
export function route<const S extends RouteSpec>(spec: CheckedSpec<S>): S {
  return spec;
}

export function isJsonBody(body: RouteSpec['response']): body is z.ZodType {
  return !('kind' in body && 'contentType' in body);
}

// ---- the client's side: building a request ----

type ParamValues<S extends RouteSpec> = { [K in PathParamNames<S['path']>]: string | number };
type QueryValues<S extends RouteSpec> = S['query'] extends z.ZodObject ? { [K in keyof z.input<S['query']>]?: z.input<S['query']>[K] | undefined } : never;

/** The URL part of a request to `S`: its path parameters and query, typed by the contract. */
export type UrlParts<S extends RouteSpec> = (HasParams<S> extends true ? { params: ParamValues<S> } : { params?: undefined }) &
  (S['query'] extends z.ZodObject ? { query?: QueryValues<S> } : { query?: undefined });

/** What a client fills in to call `S`: the URL parts and the body. */
export type RequestParts<S extends RouteSpec> = UrlParts<S> & (S['body'] extends z.ZodType ? { body: z.input<S['body']> } : { body?: undefined });

/** Arguments after the route: left out when the route needs nothing. */
export type UrlArgs<S extends RouteSpec> = HasParams<S> extends true ? [parts: UrlParts<S>] : [parts?: UrlParts<S>];
export type RequestArgs<S extends RouteSpec> = HasParams<S> extends true ? [parts: RequestParts<S>] : S['body'] extends z.ZodType ? [parts: RequestParts<S>] : [parts?: RequestParts<S>];

/**
 * The path of a request to `spec`, parameters and query URL-encoded. Query keys whose value is
 * undefined are left out, so `{ cursor: undefined }` is the bare path.
 */
export function pathOf<S extends RouteSpec>(spec: S, ...[parts]: UrlArgs<S>): string {
  const params = (parts?.params ?? {}) as Record<string, string | number>;
  const path = spec.path.replace(/:([A-Za-z0-9_]+)/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${spec.method} ${spec.path}: no value for :${name}`);
    return encodeURIComponent(String(value));
  });
  const query = Object.entries((parts?.query ?? {}) as Record<string, unknown>)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  return query.length === 0 ? path : `${path}?${query.join('&')}`;
}

/** A request as the transport sends it: method, path with query, JSON body. */
export interface ContractRequest<M extends HttpMethod = HttpMethod> {
  method: M;
  path: string;
  body?: unknown;
}

export function requestOf<S extends RouteSpec>(spec: S, ...[parts]: RequestArgs<S>): ContractRequest<S['method']> {
  const path = pathOf(spec, ...([parts] as UrlArgs<S>));
  const body = (parts as { body?: unknown } | undefined)?.body;
  return body === undefined ? { method: spec.method, path } : { method: spec.method, path, body };
}

// ---- both sides: which route a method and path reach ----

type Segment = { param: string } | { fixed: string };

const segmentsOf = (path: string): Segment[] =>
  path
    .split('/')
    .slice(1)
    .map((s) => (s.startsWith(':') ? { param: s.slice(1) } : { fixed: s }));

/** A route's path split once, for matching many requests. */
export interface CompiledRoute<S extends RouteSpec = RouteSpec> {
  spec: S;
  segments: readonly Segment[];
}

export function compileRoutes<S extends RouteSpec>(specs: readonly S[]): CompiledRoute<S>[] {
  return specs.map((spec) => ({ spec, segments: segmentsOf(spec.path) }));
}

/** Fixed segments win over parameters, from the left: the order Fastify's router picks routes in. */
function moreSpecific(a: readonly Segment[], b: readonly Segment[]): number {
  for (let i = 0; i < a.length; i++) {
    const aFixed = 'fixed' in a[i]!;
    const bFixed = 'fixed' in b[i]!;
    if (aFixed !== bFixed) return aFixed ? -1 : 1;
  }
  return 0;
}

export interface RouteMatch<S extends RouteSpec = RouteSpec> {
  spec: S;
  /** raw (still URL-encoded) text of each path parameter */
  params: Record<string, string>;
}

/**
 * The route the server would run for `method` and `pathname` (no query), with the raw text of
 * its parameters; null when none matches. A parameter is one non-empty segment.
 */
export function matchRoute<S extends RouteSpec>(routes: readonly CompiledRoute<S>[], method: string, pathname: string): RouteMatch<S> | null {
  if (!pathname.startsWith('/')) return null;
  const parts = pathname.split('/').slice(1);
  let best: CompiledRoute<S> | null = null;
  for (const candidate of routes) {
    if (candidate.spec.method !== method || candidate.segments.length !== parts.length) continue;
    const fits = candidate.segments.every((segment, i) => ('fixed' in segment ? segment.fixed === parts[i] : parts[i] !== ''));
    if (fits && (best === null || moreSpecific(candidate.segments, best.segments) < 0)) best = candidate;
  }
  if (!best) return null;
  const params: Record<string, string> = {};
  best.segments.forEach((segment, i) => {
    if ('param' in segment) params[segment.param] = parts[i]!;
  });
  return { spec: best.spec, params };
}
