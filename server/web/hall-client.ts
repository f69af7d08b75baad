import type { z } from 'zod';
import type { RequestArgs, RouteSpec } from '../../core/http/route-contract.ts';
import { isJsonBody, requestOf } from '../../core/http/route-contract.ts';
import { serverTimeHeader } from '../../core/sync/errors.ts';

/**
 * The hall server's API as a web page calls it: requests built from the contract
 * (core/http/contract.ts), answers checked against the contract's schemas. A call never throws: it
 * answers ok, refused (the server said no, with its error code), or unreachable (no answer at all:
 * the network, a timeout, the server down) — the one a page shows as "server unreachable".
 */

export type AnswerOf<S extends RouteSpec> = S['response'] extends z.ZodType ? z.output<S['response']> : never;

export interface HallRefusal {
  status: number;
  code: string;
  message: string;
  /** the error's other fields (e.g. a counter refusal's `refusal` and `localized`) */
  details: Record<string, unknown>;
}

export type HallCallResult<T> =
  | { ok: true; value: T; serverTime: number | null }
  | { ok: false; unreachable: false; refusal: HallRefusal; serverTime: number | null }
  | { ok: false; unreachable: true; message: string };

export interface HallClientOptions {
  /** the server's origin; '' (default) is the page's own */
  baseUrl?: string;
  /** the session's bearer token, read at each call; null sends none */
  token?: () => string | null;
  fetch?: typeof fetch;
  /** no answer within this long counts as unreachable */
  timeoutMs?: number;
}

export const defaultHallTimeoutMs = 8_000;

export class HallClient {
  private readonly baseUrl: string;
  private readonly token: () => string | null;
  private readonly fetcher: typeof fetch;
  private readonly timeoutMs: number;

  constructor(options: HallClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? '';
    this.token = options.token ?? (() => null);
    // Bound, so a call as a method of the window works.
    this.fetcher = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? defaultHallTimeoutMs;
  }

  async call<S extends RouteSpec>(spec: S, ...parts: RequestArgs<S>): Promise<HallCallResult<AnswerOf<S>>> {
    const request = requestOf(spec, ...parts);
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await this.fetcher(`${this.baseUrl}${request.path}`, {
        method: request.method,
        headers,
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
        cache: 'no-store',
      });
      text = await response.text();
    } catch (error) {
      return { ok: false, unreachable: true, message: error instanceof Error ? error.message : String(error) };
    }
    const headerTime = Number(response.headers.get(serverTimeHeader));
    const serverTime = Number.isFinite(headerTime) && headerTime > 0 ? headerTime : null;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // Something between us and the server answered (a proxy's error page): not the server.
      return { ok: false, unreachable: true, message: `HTTP ${response.status} without a JSON body` };
    }
    if (!response.ok) {
      const error = (json as { error?: Record<string, unknown> } | null)?.error;
      if (!error || typeof error.code !== 'string') return { ok: false, unreachable: true, message: `HTTP ${response.status} without the server's error` };
      const { code, message, ...details } = error;
      // 503 is the server alive but unable to answer now (overloaded, its database away): unreachable for the page.
      if (response.status === 503) return { ok: false, unreachable: true, message: String(message ?? code) };
      return { ok: false, unreachable: false, refusal: { status: response.status, code, message: String(message ?? ''), details }, serverTime };
    }
    if (!isJsonBody(spec.response)) throw new Error(`${spec.method} ${spec.path} does not answer JSON: read it otherwise`);
    const parsed = spec.response.safeParse(json);
    if (!parsed.success) {
      return { ok: false, unreachable: false, refusal: { status: 502, code: 'invalid-answer', message: `${spec.summary}: the answer does not match the contract`, details: {} }, serverTime };
    }
    return { ok: true, value: parsed.data as AnswerOf<S>, serverTime };
  }
}
