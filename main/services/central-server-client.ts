import { isServerFailure, serverRequestSchema, type ServerReply, type ServerRequest, type ServerStatus } from '../../core/http/central-server-request.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import { jsonMaxDepth, jsonTextTooDeep } from '../../core/http/json-bounds.ts';
import type { KioskConfig } from '../../core/kiosk/kiosk-config.ts';
import { hallApi } from '../../core/http/contract.ts';
import { pathOf } from '../../core/http/route-contract.ts';
import { enrollResponseSchema, normalizeEnrollmentCode, enrollmentCodePattern } from '../../core/sync/enrollment.ts';
import { apiErrorSchema, kioskVersionHeader, serverTimeHeader } from '../../core/sync/errors.ts';
import type { DeviceCredentials, StoredDevice } from './config-service.ts';
import type { Logger } from './logger.ts';

export interface DeviceStore {
  device(): StoredDevice;
  saveDevice(device: DeviceCredentials, enrolledAt: number): void;
}

export interface CentralServerClientOptions {
  fetch: typeof fetch;
  /** the config in effect for this run (a --server-url override applied) */
  config: () => KioskConfig;
  devices: DeviceStore;
  clock: Clock;
  logger: Logger;
  version: string;
  /** a one-time code from the hall admin (--enroll-code): used when this kiosk holds no usable token */
  enrollCode?: string;
  defaultTimeoutMs?: number;
}

export const defaultServerTimeoutMs = 10_000;

/** An event stream opened (its body, to read), or why not: status 0 when no HTTP answer came. */
export type StreamOpening =
  | { ok: true; body: ReadableStream<Uint8Array> }
  | { ok: false; status: number; reason: string; retryAfterMs?: number };
/** A failed enrollment is not retried more often than this, however often the renderer asks. */
const enrollRetryMs = 5_000;

type Refusal = 'device-revoked' | 'token-invalid' | null;

/**
 * The kiosk's only door to the hall's central server. The renderer names a kiosk route; this adds
 * the device token, which never leaves the privileged side, and a timeout, and hands back what the
 * server said. It also enrolls the kiosk with a one-time code and remembers when the server
 * refuses the token (a revoked device), for the staff screen.
 */
export class CentralServerClient {
  private readonly options: CentralServerClientOptions;
  private pendingCode: string | null;
  private enrolling: Promise<void> | null = null;
  private lastEnrollAttempt: number | null = null;
  private enrollmentError: string | null = null;
  private refusal: Refusal = null;
  private reachable = true;

  constructor(options: CentralServerClientOptions) {
    this.options = options;
    this.pendingCode = options.enrollCode === undefined ? null : normalizeEnrollmentCode(options.enrollCode);
  }

  private serverUrl(): string | null {
    return this.options.config().serverUrl;
  }

  /** The stored device, if it was enrolled with the server in effect now. */
  private credentials(): DeviceCredentials | null {
    const url = this.serverUrl();
    const stored = this.options.devices.device();
    if (!url || !stored?.ok) return null;
    return sameServer(stored.device.serverUrl, url) ? stored.device : null;
  }

  status(): ServerStatus {
    const url = this.serverUrl();
    const stored = this.options.devices.device();
    const device = this.credentials();
    let enrollmentError = this.enrollmentError;
    if (url && stored && !stored.ok) enrollmentError ??= stored.problem;
    return {
      configured: url !== null,
      enrolled: device !== null,
      revoked: device !== null && this.refusal === 'device-revoked',
      tokenRejected: device !== null && this.refusal === 'token-invalid',
      deviceId: device?.id ?? null,
      serverUrl: url,
      enrollmentError: url ? enrollmentError : null,
    };
  }

  /** At start-up: enroll when a code was given and no token for this server is held. */
  async enrollIfNeeded(): Promise<void> {
    if (!this.pendingCode || !this.serverUrl()) return;
    if (this.credentials()) {
      // Kept for this run: if the server refuses the stored token, the code enrolls anew.
      this.options.logger.info({ deviceId: this.credentials()?.id }, 'already enrolled; the enrollment code is kept in case the server refuses the stored token');
      return;
    }
    await this.enroll();
  }

  async request(input: ServerRequest): Promise<ServerReply> {
    // The API service validated already; checked again because this is where the token is added.
    const parsed = serverRequestSchema.safeParse(input);
    if (!parsed.success) throw new Error(`server.request refused: ${parsed.error.issues[0]?.message ?? 'invalid request'}`);
    const request = parsed.data;
    if (!this.serverUrl()) return { status: 0, error: 'not-configured' };
    if (!this.credentials() && this.pendingCode) await this.enroll();
    const device = this.credentials();
    if (!device) return { status: 0, error: 'not-enrolled' };

    let reply = await this.forward(device, request);
    if (!isServerFailure(reply) && reply.status === 401) {
      this.noteRefusal(reply.body);
      if (this.pendingCode) {
        await this.enroll();
        const fresh = this.credentials();
        if (fresh && fresh.token !== device.token) reply = await this.forward(fresh, request);
      }
    } else if (!isServerFailure(reply)) {
      this.refusal = null;
    }
    return reply;
  }

  /**
   * Opens a long-lived event stream of the hall server with the device token: the privileged
   * side's own subscription (the live queue state), which the renderer cannot ask for. The caller
   * reads the body and aborts `signal` to close it. Failures are not logged here: the caller
   * retries for as long as the kiosk runs and logs once per outage.
   */
  async openEventStream(stream: typeof hallApi.queueStream, signal: AbortSignal): Promise<StreamOpening> {
    if (!this.serverUrl()) return { ok: false, status: 0, reason: 'not-configured' };
    if (!this.credentials() && this.pendingCode) await this.enroll();
    const device = this.credentials();
    if (!device) return { ok: false, status: 0, reason: 'not-enrolled' };
    let response: Response;
    try {
      response = await this.options.fetch(joinUrl(device.serverUrl, pathOf(stream)), {
        method: 'GET',
        headers: { accept: 'text/event-stream', authorization: `Bearer ${device.token}`, [kioskVersionHeader]: this.options.version },
        redirect: 'error',
        signal,
      });
    } catch (error) {
      return { ok: false, status: 0, reason: signal.aborted ? 'closed' : `unreachable: ${causeOf(error)}` };
    }
    if (response.status === 200 && response.body) return { ok: true, body: response.body };
    const body = parseBody(await response.text().catch(() => ''));
    if (response.status === 401) this.noteRefusal(body);
    const error = apiErrorSchema.safeParse(body);
    const retryAfterSeconds = error.success ? error.data.error.retryAfterSeconds : undefined;
    return {
      ok: false,
      status: response.status,
      reason: error.success ? `${error.data.error.code}: ${error.data.error.message}` : `HTTP ${response.status}`,
      ...(retryAfterSeconds ? { retryAfterMs: retryAfterSeconds * 1000 } : {}),
    };
  }

  private noteRefusal(body: unknown): void {
    const parsed = apiErrorSchema.safeParse(body);
    const code = parsed.success ? parsed.data.error.code : null;
    const refusal: Refusal = code === 'device-revoked' ? 'device-revoked' : code === 'token-invalid' || code === 'token-missing' ? 'token-invalid' : null;
    if (refusal && refusal !== this.refusal) this.options.logger.warn({ refusal, deviceId: this.credentials()?.id }, 'the hall server refused this device');
    this.refusal = refusal ?? this.refusal;
  }

  private async forward(device: DeviceCredentials, request: ServerRequest): Promise<ServerReply> {
    const timeoutMs = request.timeoutMs ?? this.options.defaultTimeoutMs ?? defaultServerTimeoutMs;
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${device.token}`,
      [kioskVersionHeader]: this.options.version,
    };
    const init: RequestInit = { method: request.method, headers, redirect: 'error' };
    if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(request.body);
    }
    return this.exchange(device.serverUrl, request.path, init, timeoutMs);
  }

  private async exchange(serverUrl: string, path: string, init: RequestInit, timeoutMs: number): Promise<ServerReply> {
    const started = this.options.clock.now();
    // Paths only: a pull cursor is long and says nothing useful in a log.
    const route = path.split('?')[0];
    try {
      const response = await this.options.fetch(joinUrl(serverUrl, path), { ...init, signal: AbortSignal.timeout(timeoutMs) });
      const text = await response.text();
      const body = parseBody(text);
      const reply: ServerReply = { status: response.status, body, serverTime: serverTimeOf(response.headers.get(serverTimeHeader), body) };
      if (!this.reachable) this.options.logger.info({ route }, 'hall server reachable again');
      this.reachable = true;
      if (response.status >= 500) this.options.logger.warn({ route, status: response.status, ms: this.options.clock.now() - started }, 'hall server error');
      return reply;
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      // Logged once per outage, not for every retry of a day offline.
      if (this.reachable) this.options.logger.warn({ route, reason: timedOut ? 'timeout' : 'unreachable', detail: causeOf(error) }, 'hall server not reachable');
      this.reachable = false;
      return { status: 0, error: timedOut ? 'timeout' : 'unreachable' };
    }
  }

  private enroll(): Promise<void> {
    this.enrolling ??= this.tryEnroll().finally(() => {
      this.enrolling = null;
    });
    return this.enrolling;
  }

  private async tryEnroll(): Promise<void> {
    const code = this.pendingCode;
    const serverUrl = this.serverUrl();
    if (!code || !serverUrl) return;
    const now = this.options.clock.now();
    if (this.lastEnrollAttempt !== null && now - this.lastEnrollAttempt < enrollRetryMs) return;
    this.lastEnrollAttempt = now;
    if (!enrollmentCodePattern.test(code)) {
      this.pendingCode = null;
      this.enrollmentError = 'the enrollment code is not 16 letters and digits (e.g. 7KQ2-M9XD-R4TB-HC3W)';
      return;
    }
    const reply = await this.exchange(
      serverUrl,
      pathOf(hallApi.devicesEnroll),
      { method: hallApi.devicesEnroll.method, headers: { accept: 'application/json', 'content-type': 'application/json' }, body: JSON.stringify({ code, version: this.options.version }), redirect: 'error' },
      this.options.defaultTimeoutMs ?? defaultServerTimeoutMs,
    );
    if (isServerFailure(reply)) {
      this.enrollmentError = `enrollment: hall server ${reply.error}; will retry`;
      return;
    }
    if (reply.status === 200) {
      const enrolled = enrollResponseSchema.safeParse(reply.body);
      if (!enrolled.success) {
        this.enrollmentError = 'enrollment: the server answered with an unexpected body';
        return;
      }
      this.options.devices.saveDevice({ id: enrolled.data.deviceId, serverUrl, token: enrolled.data.token }, this.options.clock.now());
      this.pendingCode = null;
      this.enrollmentError = null;
      this.refusal = null;
      this.options.logger.info({ deviceId: enrolled.data.deviceId }, 'enrolled with the hall server');
      return;
    }
    const error = apiErrorSchema.safeParse(reply.body);
    const message = error.success ? error.data.error.message : `HTTP ${reply.status}`;
    this.enrollmentError = `enrollment refused: ${message}`;
    // A refused code stays refused; only a rate limit or a server error is worth another try.
    if (reply.status !== 429 && reply.status < 500) this.pendingCode = null;
    this.options.logger.warn({ status: reply.status, code: error.success ? error.data.error.code : null }, 'enrollment refused');
  }
}

function sameServer(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

function joinUrl(serverUrl: string, path: string): string {
  return `${serverUrl.replace(/\/+$/, '')}${path}`;
}

function parseBody(text: string): unknown {
  if (text === '') return null;
  // The answer is cloned to the renderer (IPC) or serialised (host mode), both recursive: a
  // machine answering in the server's place must not crash that with a deeply nested body.
  if (jsonTextTooDeep(text, jsonMaxDepth)) return `the answer is nested deeper than ${jsonMaxDepth} levels`;
  try {
    return JSON.parse(text);
  } catch {
    return text.slice(0, 2000);
  }
}

function serverTimeOf(header: string | null, body: unknown): number | null {
  const fromHeader = header === null ? NaN : Number(header);
  if (Number.isSafeInteger(fromHeader)) return fromHeader;
  const fromBody = typeof body === 'object' && body !== null ? (body as { serverTime?: unknown }).serverTime : undefined;
  return typeof fromBody === 'number' && Number.isSafeInteger(fromBody) ? fromBody : null;
}

function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}
