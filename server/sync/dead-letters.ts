import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface DeadLetter {
  id: string;
  deviceId: string;
  deviceName: string;
  seq: number;
  lastSeq: number;
  eventId: string | null;
  type: string | null;
  reason: string;
  payload: unknown;
  createdAt: number;
}

export async function listDeadLetters(db: Kysely<Database>, options: { limit?: number; deviceId?: string } = {}): Promise<DeadLetter[]> {
  let query = db
    .selectFrom('dead_letters')
    .innerJoin('devices', 'devices.id', 'dead_letters.device_id')
    .select([
      'dead_letters.id',
      'dead_letters.device_id',
      'devices.name',
      'dead_letters.seq',
      'dead_letters.last_seq',
      'dead_letters.event_id',
      'dead_letters.type',
      'dead_letters.reason',
      'dead_letters.payload_json',
      'dead_letters.created_at',
    ])
    .orderBy('dead_letters.created_at', 'desc')
    .orderBy('dead_letters.id', 'desc')
    .limit(Math.min(options.limit ?? 100, 1000));
  if (options.deviceId) query = query.where('dead_letters.device_id', '=', options.deviceId);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    deviceId: r.device_id,
    deviceName: r.name,
    seq: r.seq,
    lastSeq: r.last_seq,
    eventId: r.event_id,
    type: r.type,
    reason: r.reason,
    payload: r.payload_json === null ? null : (JSON.parse(r.payload_json) as unknown),
    createdAt: r.created_at,
  }));
}
