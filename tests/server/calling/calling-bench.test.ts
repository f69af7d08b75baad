import { expect, it } from 'vitest';
import { runCallingBench } from '../../../bench/calling.ts';
import { findPostgresBinDir } from '../support/postgres.ts';

// `npm run bench calling` in miniature, so CI proves the bench runs and its figures hold: a few
// windows for a second and a half on SQLite (one server process) and PostgreSQL (two), every call
// heard on the event stream, none twice. The figures themselves are the bench's, on a quiet machine.
it('the calling bench, small and short: calls made, each heard on the event stream once, no double call on either engine', { timeout: 180_000 }, async () => {
  const { figures, detail } = await runCallingBench({ windows: 6, kiosks: 4, seconds: 1.5, issueEveryMs: 300, cycleMs: 300, backlogPerWindow: 20, sqliteOnly: false });
  expect(Object.keys(figures)).toEqual(['windows', 'kiosks', 'calls_per_s', 'press_to_event_p50_ms', 'press_to_event_p99_ms', 'double_calls', 'postgres', 'machine_load_1m']);
  expect(figures).toMatchObject({ windows: 6, kiosks: 4, double_calls: 0 });
  const engines = [detail.sqlite, ...('skipped' in detail.postgres ? [] : [detail.postgres])];
  if (findPostgresBinDir() || process.env.HALL_TEST_DATABASE_URL) expect(engines).toHaveLength(2);
  for (const engine of engines) {
    expect(engine.saturated_calls, JSON.stringify(engine)).toBeGreaterThan(0);
    expect(engine.paced_calls, JSON.stringify(engine)).toBeGreaterThan(0);
    expect(engine).toMatchObject({ double_calls: 0, errors: 0, call_events_missing: 0 });
    expect(engine.call_events_timed).toBe(Number(engine.saturated_calls) + Number(engine.paced_calls));
    expect(engine.press_to_event_p50_ms).toBeGreaterThan(0);
    expect(engine.press_to_event_p99_ms).toBeGreaterThanOrEqual(engine.press_to_event_p50_ms);
    expect(engine.tickets_issued_during_run).toBeGreaterThan(0);
  }
  if (!('skipped' in figures.postgres)) expect(figures.postgres.double_calls).toBe(0);
});
