import type { EnrollProgress, IdentifyResult, ReaderFailure, ReaderPortSettings, ReaderStatusReport, SerialPortChoiceReport } from '../../core/attendance/fingerprint-reader-api.ts';
import type { LocalizedText } from '../../core/text/localized.ts';
import { FingerprintDeviceError, FingerprintDuplicateError, FingerprintLinkError, enrollPrompt, isPoorImage } from '../../hardware/fingerprint/index.ts';
import type { EnrollStep, FingerprintReader, ReaderStatus } from '../../hardware/fingerprint/index.ts';
import { FingerWatch } from './finger-watch.ts';
import type { Logger } from './logger.ts';

/** What the service needs of a driver; hardware/fingerprint's FingerprintReader is the real one. */
export type ReaderPort = Pick<
  FingerprintReader,
  'start' | 'stop' | 'status' | 'fingerLifted' | 'systemParameters' | 'onStatus' | 'identify' | 'enroll' | 'loadChar' | 'upChar' | 'downChar' | 'store' | 'deleteChar' | 'occupiedPages'
>;

/** The demonstrator's hand on the simulated module. */
export interface SimulatedFingerPort {
  placeFinger(finger: string): void;
  liftFinger(): void;
  stop(): Promise<void>;
}

export interface ReaderDevices {
  open(port: string, baudRate: number): ReaderPort;
  /** the in-process simulated module and a reader connected to it */
  simulated(): { reader: ReaderPort; fingers: SimulatedFingerPort };
  /** the machine's serial devices, for the port picker */
  listPorts(): Promise<SerialPortChoiceReport[]>;
}

export interface ReaderServiceOptions {
  /** kiosk config `reader`; no port means the in-process simulator (demo, standalone) */
  config: ReaderPortSettings;
  /** stores settings chosen on the staff screen (the kiosk config), before the reader moves there */
  saveConfig?: (settings: ReaderPortSettings) => void;
  devices: ReaderDevices;
  logger: Logger;
  /** how long a simulated press stays on the sensor: a tap, so enrolment's "lift" passes by itself */
  simulatedTapMs?: number;
}

type StatusListener = (status: ReaderStatusReport) => void;

/**
 * An enrolment's outcome: stored at `page`, with the library page the merged template matched
 * before it was stored (null: none), or refused because it matched a page not allowed.
 */
export type ReaderEnrolment = { ok: true; page: number; matchedPage: number | null } | ReaderFailure | { ok: false; kind: 'duplicate'; page: number; text: LocalizedText };

// Template transfers use buffer 2: identify works in buffer 1, so a waiting identify and a
// download from the roster sync cannot overwrite each other's character file.
const transferBuffer = 2;

const texts = {
  notRecognised: { zh: '未能识别，请重试或联系管理员', en: 'Not recognised. Try again or ask an administrator' },
  timeout: { zh: '未检测到手指，请重试', en: 'No finger detected. Please try again' },
  cancelled: { zh: '操作已取消', en: 'Cancelled' },
} satisfies Record<string, LocalizedText>;

/**
 * Owns the kiosk's one fingerprint reader. identify and enroll hold the sensor, so only one of
 * them runs at a time: a newer one cancels the older (the screen that asked has moved on). Template
 * transfers and enrolment are queued here because each is several driver commands on one buffer.
 */
export class ReaderService {
  private reader: ReaderPort | undefined;
  private fingers: SimulatedFingerPort | undefined;
  /** the identify or enrolment holding the sensor; `watched` when a finger watch asked for it */
  private current: { controller: AbortController; timer: NodeJS.Timeout; watched: boolean } | undefined;
  private tap: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<StatusListener>();
  private unsubscribe: () => void = () => undefined;
  private config: ReaderPortSettings;
  private readonly watch: FingerWatch;
  private readonly movedListeners = new Set<() => void>();

  constructor(private readonly options: ReaderServiceOptions) {
    this.config = options.config;
    this.watch = new FingerWatch({
      identify: (timeoutMs) => this.identifyOnce(timeoutMs, true),
      connected: () => this.reader?.status.state === 'connected',
    });
  }

  get simulated(): boolean {
    return this.config.port === null;
  }

  /** Where the reader is now, and the serial devices it could be on instead. */
  async ports(): Promise<{ ports: SerialPortChoiceReport[]; current: ReaderPortSettings }> {
    const ports = await this.options.devices.listPorts();
    return { ports: ports.map(({ path, label, likelyReader }) => ({ path, label, likelyReader })), current: { ...this.config } };
  }

  /**
   * Moves the reader to another port or baud (or back to the simulated module): saved first, so
   * a setting the config refuses changes nothing; then the old reader is closed — a waiting
   * identify or enrol answers 'cancelled' — and the new one opened. A port with nothing on it is
   * reported disconnected and retried by the driver, like an unplugged reader at start.
   */
  async configure(settings: ReaderPortSettings): Promise<ReaderStatusReport> {
    this.options.saveConfig?.(settings);
    const moved = settings.port !== this.config.port || settings.baudRate !== this.config.baudRate;
    await this.exclusive(async () => {
      await this.closeReader();
      this.config = { ...settings };
    });
    this.options.logger.info({ reader: { port: settings.port, baudRate: settings.baudRate } }, 'fingerprint reader moved');
    const status = await this.start();
    // Another device's library, or the same one seen afresh: whoever keeps the slot map fills it again.
    if (moved) for (const listener of [...this.movedListeners]) listener();
    return status;
  }

  /** The reader was moved to another port or baud (configure): its library is not the one the slot map describes. */
  onMoved(listener: () => void): () => void {
    this.movedListeners.add(listener);
    return () => this.movedListeners.delete(listener);
  }

  async start(): Promise<ReaderStatusReport> {
    const { port, baudRate } = this.config;
    if (port === null) {
      const { reader, fingers } = this.options.devices.simulated();
      this.reader = reader;
      this.fingers = fingers;
    } else {
      this.reader = this.options.devices.open(port, baudRate);
    }
    const reader = this.reader;
    this.unsubscribe = reader.onStatus((status) => {
      const report = this.report(status);
      this.options.logger.info({ reader: { state: report.state, simulated: report.simulated, detail: status.detail } }, 'fingerprint reader status changed');
      for (const listener of this.listeners) listener(report);
    });
    // A reader that is absent at start is reported and reopened by the driver; the kiosk still starts.
    return this.report(await reader.start());
  }

  async stop(): Promise<void> {
    this.watch.stop();
    await this.closeReader();
  }

  /** Closes the device but keeps a finger watch: it carries on once the reader is open again. */
  private async closeReader(): Promise<void> {
    this.abortCurrent();
    clearTimeout(this.tap);
    this.unsubscribe();
    await this.reader?.stop();
    await this.fingers?.stop();
    this.reader = undefined;
    this.fingers = undefined;
  }

  onStatus(listener: StatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  status(): ReaderStatusReport {
    return this.reader ? this.report(this.reader.status) : { state: 'disconnected', simulated: this.simulated };
  }

  /** Waits up to `timeoutMs` for a finger and looks it up in the library; ends any finger watch. */
  identify(request: { timeoutMs: number }): Promise<IdentifyResult> {
    this.watch.stop();
    return this.identifyOnce(request.timeoutMs, false);
  }

  get watching(): boolean {
    return this.watch.watching;
  }

  /** Identifies finger after finger until unwatched or the lease lapses; answers go to onFinger. */
  watchFingers(leaseMs: number): { watchId: number } {
    this.started();
    const { id, tookOver } = this.watch.start(leaseMs);
    // The old watch's identify would hold the sensor for up to its whole wait: the new screen asks afresh.
    if (tookOver && this.current?.watched) this.abortCurrent();
    return { watchId: id };
  }

  renewWatch(watchId: number, leaseMs: number): boolean {
    return this.watch.renew(watchId, leaseMs);
  }

  unwatch(watchId: number): boolean {
    if (!this.watch.stop(watchId)) return false;
    this.abortCurrent();
    return true;
  }

  onFinger(listener: (watchId: number, result: IdentifyResult) => void): () => void {
    return this.watch.onFinger(listener);
  }

  private async identifyOnce(timeoutMs: number, watched: boolean): Promise<IdentifyResult> {
    const reader = this.started();
    const signal = this.begin(timeoutMs, watched);
    try {
      const { page, score } = await reader.identify({ signal });
      return { ok: true, page, score };
    } catch (error) {
      return this.failure(error, signal);
    } finally {
      this.end(signal);
    }
  }

  /**
   * Guided two-capture enrolment into `page`, reporting each step. The merged template is always
   * searched for in the library first: a match outside `ownPages` is refused before Store, and any
   * match is reported, so the template upload can tell the hall server what it matched.
   */
  enroll(request: { page: number; timeoutMs: number; ownPages?: readonly number[] }, onProgress: (progress: EnrollProgress) => void): Promise<ReaderEnrolment> {
    const reader = this.started();
    this.watch.stop();
    return this.exclusive(async () => {
      const signal = this.begin(request.timeoutMs);
      try {
        const enrolled = await reader.enroll(request.page, {
          signal,
          onStep: (step) => onProgress(progressOf(request.page, step)),
          duplicateCheck: { allowPages: request.ownPages ?? [] },
        });
        return { ok: true as const, page: request.page, matchedPage: enrolled.match?.page ?? null };
      } catch (error) {
        if (error instanceof FingerprintDuplicateError) return { ok: false as const, kind: 'duplicate' as const, page: error.match.page, text: error.text };
        return this.failure(error, signal);
      } finally {
        this.end(signal);
      }
    });
  }

  /** Ends a waiting identify or enroll, or a finger watch; they answer 'cancelled'. */
  cancel(): boolean {
    this.watch.stop();
    return this.abortCurrent();
  }

  private abortCurrent(): boolean {
    if (!this.current) return false;
    this.current.controller.abort(new FingerprintLinkError('aborted', 'cancelled'));
    return true;
  }

  pages(): Promise<number[]> {
    return this.started().occupiedPages();
  }

  /** The template stored at `page`, base64. The bytes are personal data: never logged. */
  uploadTemplate(page: number): Promise<string> {
    const reader = this.started();
    return this.exclusive(async () => {
      await reader.loadChar(transferBuffer, page);
      return (await reader.upChar(transferBuffer)).toString('base64');
    });
  }

  storeTemplate(page: number, base64: string): Promise<void> {
    const reader = this.started();
    const template = Buffer.from(base64, 'base64');
    return this.exclusive(async () => {
      await reader.downChar(transferBuffer, template);
      await reader.store(transferBuffer, page);
    });
  }

  delete(page: number): Promise<void> {
    const reader = this.started();
    return this.exclusive(() => reader.deleteChar(page));
  }

  /** Demo only: a tap of a synthetic finger, or 'lift' to take it off now. */
  simulateFinger(finger: string): void {
    const fingers = this.fingers;
    if (!fingers) throw new Error('simulated fingers are only available when no reader port is configured');
    // Every press is a new one: the hand leaves the glass first. The driver waits for a used finger
    // to lift before it identifies again, and is told here, since no poll may have seen this lift.
    const lift = () => {
      clearTimeout(this.tap);
      fingers.liftFinger();
      this.reader?.fingerLifted();
    };
    lift();
    if (finger === 'lift') return;
    fingers.placeFinger(finger);
    this.tap = setTimeout(lift, this.options.simulatedTapMs ?? 1500);
    this.tap.unref();
  }

  private started(): ReaderPort {
    if (!this.reader) throw new Error('reader service is not started');
    return this.reader;
  }

  private begin(timeoutMs: number, watched = false): AbortSignal {
    this.abortCurrent();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new FingerprintLinkError('timeout', `no finger within ${timeoutMs} ms`)), timeoutMs);
    this.current = { controller, timer, watched };
    return controller.signal;
  }

  private end(signal: AbortSignal): void {
    if (this.current?.controller.signal !== signal) return;
    clearTimeout(this.current.timer);
    this.current = undefined;
  }

  private failure(error: unknown, signal: AbortSignal): ReaderFailure {
    if (signal.aborted) {
      const timedOut = signal.reason instanceof FingerprintLinkError && signal.reason.kind === 'timeout';
      return timedOut ? { ok: false, kind: 'timeout', text: texts.timeout } : { ok: false, kind: 'cancelled', text: texts.cancelled };
    }
    if (error instanceof FingerprintDeviceError) {
      if (error.kind === 'not-found') return { ok: false, kind: 'not-recognised', text: texts.notRecognised };
      if (error.kind === 'merge-failed') return { ok: false, kind: 'merge-failed', text: error.text };
      const poor: unknown = error;
      return { ok: false, kind: isPoorImage(poor) ? 'poor-image' : 'reader-error', text: error.text };
    }
    if (error instanceof FingerprintLinkError) return { ok: false, kind: 'reader-unavailable', text: error.text };
    throw error;
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private report(status: ReaderStatus): ReaderStatusReport {
    const librarySize = this.reader?.systemParameters?.librarySize;
    return {
      state: status.state,
      simulated: this.simulated,
      ...(librarySize !== undefined ? { librarySize } : {}),
      ...(status.state === 'disconnected' && status.text ? { text: status.text } : {}),
    };
  }
}

function progressOf(page: number, step: EnrollStep): EnrollProgress {
  return {
    page,
    step: step.step,
    ...('capture' in step ? { capture: step.capture } : {}),
    text: enrollPrompt(step),
  };
}
