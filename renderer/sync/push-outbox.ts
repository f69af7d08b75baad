import type { Clock } from '../../core/calendar/clock.ts';
import type { SyncEvent } from '../../core/sync/events.ts';
import { maxEventsPerPush, maxRequestBytes, pushResponseSchema } from '../../core/sync/push.ts';
import { correctCheckins } from '../attendance/checkin-corrections.ts';
import type { HallKioskDb } from '../db/hall-kiosk-db.ts';
import type { OutboxEntry } from '../db/outbox-entry.ts';
import { outboxAfter } from '../db/outbox.ts';
import { acknowledge, ackedThrough, prunedThrough, renumberAfter, resendAfter } from './outbox-acks.ts';
import type { ServerLink } from './server-link.ts';
import { errorOf } from './server-link.ts';
import { expectSuccess, failureOf, SyncFailure } from './sync-failure.ts';
import { markSync } from './sync-marks.ts';
import { wireEventOf } from './wire-events.ts';
import { serverRequestOf } from '../../core/http/central-server-request.ts';
import { hallApi } from '../../core/http/contract.ts';

export interface PushContext {
  db: HallKioskDb;
  link: ServerLink;
  clock: Clock;
  clockOffset: () => number | undefined;
  /** what the server last said it holds of this device's events, this run; null before it said */
  serverLast: number | null;
  maxEvents?: number;
  maxBytes?: number;
}

export interface PushSummary {
  acked: number;
  deadLettered: number;
  /** acknowledged before, pending again because the server lost them */
  resent: number;
}

/** Well under the server's body limit, so the JSON envelope and the host's wrapping always fit. */
export const defaultPushBytes = Math.floor(maxRequestBytes * 0.75);
const pushTimeoutMs = 30_000;
/** Requests per round at most; the loop comes back for the rest. */
const maxPushesPerRound = 50;

/** UTF-8 bytes of `text`, counted without encoding it (a push body is hundreds of kilobytes). */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    // A surrogate pair's two units are four bytes: the high one adds nothing, the low one two.
    else if (code < 0xd800 || code >= 0xdc00) bytes += 2;
  }
  return bytes;
}

/** The oldest entries after `afterSeq` that go in one push: consecutive seqs, within the byte budget. */
async function nextBatch(db: HallKioskDb, afterSeq: number, maxEvents: number, maxBytes: number): Promise<SyncEvent[]> {
  markSync('sync:read-start');
  try {
    return await readBatch(db, afterSeq, maxEvents, maxBytes);
  } finally {
    markSync('sync:read-end');
  }
}

async function readBatch(db: HallKioskDb, afterSeq: number, maxEvents: number, maxBytes: number): Promise<SyncEvent[]> {
  const entries: OutboxEntry[] = await outboxAfter(db, afterSeq).limit(maxEvents).toArray();
  const events: SyncEvent[] = [];
  for (const entry of entries) {
    // The server wants consecutive seqs; what follows a hole goes in the next push.
    if (events.length > 0 && entry.seq !== events.at(-1)!.seq + 1) break;
    events.push(wireEventOf(entry));
  }
  // Measured whole first: a batch of ordinary events fits with room to spare.
  if (utf8Length(JSON.stringify(events)) <= maxBytes) return events;
  const batch: SyncEvent[] = [];
  let bytes = 0;
  for (const event of events) {
    const size = utf8Length(JSON.stringify(event)) + 1;
    if (batch.length > 0 && bytes + size > maxBytes) break;
    batch.push(event);
    bytes += size;
  }
  return batch;
}

/**
 * Pushes pending outbox entries in seq order until none is left. Each answer moves the
 * acknowledged-through mark; an answer that shows the server lost events it had acknowledged
 * (restored from a backup) moves it back, so they go again. Throws SyncFailure when the server
 * cannot be used.
 */
export async function pushOutbox(ctx: PushContext): Promise<PushSummary> {
  const { db, link, clock } = ctx;
  let maxEvents = Math.min(ctx.maxEvents ?? maxEventsPerPush, maxEventsPerPush);
  const maxBytes = ctx.maxBytes ?? defaultPushBytes;
  const summary: PushSummary = { acked: 0, deadLettered: 0, resent: 0 };
  let mark = await ackedThrough(db);
  // Only pruning and renumbering change it, and neither runs while this push does (but renumberAfter below).
  let pruned = await prunedThrough(db);

  // The batch after the one in flight, read while the server works on that one. Used only when
  // the server answered for every event of the batch in flight and lost none: then it is exactly
  // what reading the outbox afresh would give (later appends go in a later push).
  let ahead: Promise<SyncEvent[] | null> | null = null;
  for (let pushes = 0; pushes < maxPushesPerRound; pushes++) {
    const events: SyncEvent[] = (await ahead) ?? (await nextBatch(db, mark, maxEvents, maxBytes));
    ahead = null;
    if (events.length === 0) break;
    // Declared only when the server is known to lack events this kiosk no longer holds.
    const declarePruned = pruned > 0 && ctx.serverLast !== null && ctx.serverLast < pruned;
    const offset = ctx.clockOffset();
    const body = {
      sentAt: clock.now(),
      ...(offset === undefined ? {} : { clockOffsetMs: offset }),
      ...(declarePruned ? { prunedThrough: pruned } : {}),
      events,
    };
    markSync('sync:push-sent');
    const sending = link.send({ ...serverRequestOf(hallApi.syncPush, { body }), timeoutMs: pushTimeoutMs });
    const reading: Promise<SyncEvent[] | null> = nextBatch(db, events.at(-1)!.seq, maxEvents, maxBytes).catch(() => null);
    const reply = await sending;
    markSync('sync:push-reply');

    if (reply.status === 409) {
      const error = errorOf(reply.body);
      if (error?.code === 'seq-gap' && error.lastAppliedSeq !== undefined) {
        ctx.serverLast = error.lastAppliedSeq;
        const resent = await resendAfter(db, error.lastAppliedSeq);
        summary.resent += resent;
        mark = await ackedThrough(db);
        if (resent > 0 || pruned > error.lastAppliedSeq) continue;
        throw new SyncFailure('protocol', `push: the server holds events up to seq ${error.lastAppliedSeq}, and this kiosk holds nothing to fill the gap before seq ${events[0]!.seq}`);
      }
      if (error?.code === 'seq-conflict' && error.lastAppliedSeq !== undefined && (await renumberAfter(db, error.lastAppliedSeq))) {
        ctx.serverLast = error.lastAppliedSeq;
        pruned = await prunedThrough(db);
        continue;
      }
      throw failureOf(reply, 'push');
    }
    // Too big after all (a server with a smaller limit): halve and go again.
    if (reply.status === 413 && maxEvents > 1) {
      maxEvents = Math.max(1, Math.floor(events.length / 2));
      continue;
    }
    const answer = expectSuccess(reply, 'push');
    const parsed = pushResponseSchema.safeParse(answer.body);
    if (!parsed.success) throw new SyncFailure('protocol', 'push: the server answered with an unexpected body');
    const response = parsed.data;
    markSync('sync:ack-start');
    const acked = await acknowledge(db, events, response.results, clock.now());
    markSync('sync:ack-end');
    await correctCheckins(db, events, response.results);
    summary.acked += acked.acked;
    summary.deadLettered += acked.deadLettered;
    mark = acked.through;
    ctx.serverLast = response.lastAppliedSeq;
    if (response.lastAppliedSeq < mark) {
      summary.resent += await resendAfter(db, response.lastAppliedSeq);
      mark = await ackedThrough(db);
    }
    if (mark === events.at(-1)!.seq) ahead = reading;
  }
  return summary;
}
