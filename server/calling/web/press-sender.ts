import type { CounterPress, PressResult } from '../../../core/queue/counter-api.ts';
import type { LocalizedText } from '../../../core/text/localized.ts';
import { localizedTextSchema } from '../../../core/text/localized.ts';
import type { HallCallResult } from '../../web/hall-client.ts';

/**
 * Sends the desk's presses so that none is done twice. Each press gets an idempotency key when it
 * is first pressed; a press the server never answered (the network, a timeout, the server down)
 * keeps its key and is sent again with it — by `retry()` once the connection is back, or by the
 * same press pressed again — so the server, which remembers keys, does it at most once. One press
 * at a time: a press while another is on its way is dropped (a double click, a bouncing keypad).
 */

export type PressOutcome =
  | { kind: 'done'; press: CounterPress; result: PressResult }
  /** the server said no: its reason in both languages (a counter refusal), else its message */
  | { kind: 'refused'; press: CounterPress; code: string; reason: LocalizedText | null; message: string }
  /** no answer: the press is kept, with its key, for `retry()` */
  | { kind: 'unreachable'; press: CounterPress }
  /** the session is gone (401): sign in again */
  | { kind: 'signed-out'; press: CounterPress }
  /** another press is on its way: this one is dropped */
  | { kind: 'busy'; press: CounterPress };

export interface PressPort {
  /** 签退 goes to its own route (hallApi.counterSignOut); every other press to hallApi.counterPress */
  send(idempotencyKey: string, press: CounterPress): Promise<HallCallResult<PressResult>>;
}

const same = (a: CounterPress, b: CounterPress) => JSON.stringify(a) === JSON.stringify(b);

export class PressSender {
  private inFlight = false;
  private unanswered: { key: string; press: CounterPress } | null = null;

  constructor(
    private readonly port: PressPort,
    private readonly newKey: () => string,
  ) {}

  /** The press sent but never answered, which `retry()` sends again; null when there is none. */
  get pending(): CounterPress | null {
    return this.unanswered?.press ?? null;
  }

  get busy(): boolean {
    return this.inFlight;
  }

  /**
   * Sends `press`. The same press as the unanswered one reuses its key; another press means the
   * clerk moved on: the unanswered one is let go (what the server did with it, the next view shows).
   */
  async press(press: CounterPress): Promise<PressOutcome> {
    if (this.inFlight) return { kind: 'busy', press };
    const key = this.unanswered && same(this.unanswered.press, press) ? this.unanswered.key : this.newKey();
    return this.send(key, press);
  }

  /** Sends the unanswered press again with its key; null when there is none. */
  async retry(): Promise<PressOutcome | null> {
    if (!this.unanswered) return null;
    if (this.inFlight) return { kind: 'busy', press: this.unanswered.press };
    return this.send(this.unanswered.key, this.unanswered.press);
  }

  /** Forgets the unanswered press (signed out). */
  forget(): void {
    this.unanswered = null;
  }

  private async send(key: string, press: CounterPress): Promise<PressOutcome> {
    this.inFlight = true;
    this.unanswered = { key, press };
    let answer: HallCallResult<PressResult>;
    try {
      answer = await this.port.send(key, press);
    } catch {
      answer = { ok: false, unreachable: true, message: 'the press could not be sent' };
    } finally {
      this.inFlight = false;
    }
    if (!answer.ok && answer.unreachable) return { kind: 'unreachable', press };
    // Answered: the key has done its work either way.
    this.unanswered = null;
    if (answer.ok) return { kind: 'done', press, result: answer.value };
    const { refusal } = answer;
    if (refusal.status === 401) return { kind: 'signed-out', press };
    const localized = localizedTextSchema.safeParse(refusal.details.localized);
    return { kind: 'refused', press, code: typeof refusal.details.refusal === 'string' ? refusal.details.refusal : refusal.code, reason: localized.success ? localized.data : null, message: refusal.message };
  }
}
