import { expect, it } from 'vitest';
import { runDisplayBench } from '../../bench/display.ts';

// The display bench in small: 20 screens, 5 windows, 2 s. It proves the bench measures (calls
// reach every screen, none lost, latencies and memory figured), not the budget, which is the
// full run's (npm run bench display).
it('smoke: 20 screens and 5 windows for 2 s — every event reaches every screen, latencies measured', { timeout: 120_000 }, async () => {
  let t = 0;
  const figures = await runDisplayBench({ displays: 20, windows: 5, runMs: 2_000, cycleMs: 500, now: () => (t = Math.max(t, performance.now())) });
  expect(figures).toMatchObject({ displays: 20, windows: 5, lost_events: 0 });
  expect(Object.keys(figures).sort()).toEqual(['calls', 'displays', 'lost_events', 'machine_load_1m', 'press_to_display_p50_ms', 'press_to_display_p99_ms', 'server_kb_per_connection', 'window_cycle_s', 'windows']);
  expect(figures.calls).toBeGreaterThan(0);
  expect(figures.press_to_display_p50_ms).toBeGreaterThan(0);
  expect(figures.press_to_display_p99_ms).toBeGreaterThanOrEqual(figures.press_to_display_p50_ms);
});
