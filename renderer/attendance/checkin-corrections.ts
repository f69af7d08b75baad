import type { PlacedCheckin } from '../../core/attendance/checkin-decision.ts';
import type { SyncEvent } from '../../core/sync/events.ts';
import type { PushResult } from '../../core/sync/push.ts';
import type { HallKioskDb, StoredCheckin } from '../db/hall-kiosk-db.ts';

/** A stored check-in as the decision reads it: on the server's clock, as far as the kiosk knew it. */
export function placedCheckin(c: StoredCheckin): PlacedCheckin {
  return { id: c.id, kind: c.kind, at: c.at + (c.clockOffsetMs ?? 0), session: c.session ?? null, spotCheckId: c.spotCheckId ?? null };
}

/** The record with the kind and session the hall server decided. */
export function withServerDecision(checkin: StoredCheckin, decided: { kind: StoredCheckin['kind']; session?: string | null }): StoredCheckin {
  const { session: _guessed, ...rest } = checkin;
  return { ...rest, kind: decided.kind, ...(decided.session ? { session: decided.session } : {}) };
}

/**
 * A check-in this kiosk recorded offline was its own guess (it knew only its own records): the
 * hall server's push answer says what it decided with every kiosk's records, and the kiosk's
 * record follows, so its next guesses start from the truth. Returns how many changed.
 */
export async function correctCheckins(db: HallKioskDb, sent: readonly SyncEvent[], results: readonly PushResult[]): Promise<number> {
  const events = new Map(sent.map((e) => [e.id, e]));
  const decided = new Map<string, NonNullable<PushResult['checkin']>>();
  for (const result of results) {
    const event = events.get(result.id);
    const record = event?.type === 'checkin.recorded' ? (event.payload as { id?: unknown }) : null;
    if (result.checkin && typeof record?.id === 'string') decided.set(record.id, result.checkin);
  }
  if (decided.size === 0) return 0;
  return db.transaction('rw', db.checkins, async () => {
    let changed = 0;
    for (const [id, decision] of decided) {
      const held = await db.checkins.get(id);
      if (!held || (held.kind === decision.kind && (held.session ?? null) === decision.session)) continue;
      await db.checkins.put(withServerDecision(held, decision));
      changed++;
    }
    return changed;
  });
}
