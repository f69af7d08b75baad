import type { Clock } from '../../core/calendar/clock.ts';
import { CatalogStore } from '../catalog/catalog-store.ts';
import type { ServerDb } from '../db/connect.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { CounterStaffError, setCounterPin } from './counter-staff.ts';
import { WindowSetupError, listWindows, saveWindow } from './windows.ts';

/** The counter calling commands of server/cli.ts, kept here so cli.ts only dispatches. */

export const callingCliOptions = {
  main: { type: 'string' },
  extra: { type: 'string' },
  'no-evaluator': { type: 'boolean' },
} as const;

export const callingCliUsage = `
  window:set <number> --name NAME --department ID --main svc1,svc2 [--extra svc3,…] [--no-evaluator]
                                   creates window N (窗口) or changes its name, department and work
                                   profile (主办 --main, then 兼办 --extra); a window in use keeps its state
  window:list
  counter:pin <staff-id>           sets the staff member's counter PIN (at least 6 characters) from
                                   $HALL_COUNTER_PIN or stdin; a lock after wrong PINs ends`;

export const callingCliErrors = [WindowSetupError, CounterStaffError];

export interface CallingCliContext {
  args: string[];
  values: { name?: string; department?: string; main?: string; extra?: string; 'no-evaluator'?: boolean };
  clock: Clock;
  withDatabase<T>(run: (db: ServerDb) => Promise<T>): Promise<T>;
  readSecret(envName: string, what: string): Promise<string>;
  print(line: string): void;
}

const list = (text: string | undefined) => (text ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** Runs `command` if it is one of these; undefined when it is not. */
export async function runCallingCommand(command: string, ctx: CallingCliContext): Promise<number | undefined> {
  const { values: v, clock } = ctx;
  switch (command) {
    case 'window:set': {
      const number = Number(ctx.args[0]);
      if (!ctx.args[0] || !Number.isInteger(number)) throw new WindowSetupError('window:set needs a window number');
      const window = await ctx.withDatabase((db) =>
        saveWindow(db.db, clock, new CatalogStore(db.db), {
          number,
          name: v.name ?? `${number}号窗口`,
          departmentId: v.department,
          profile: { main: list(v.main), extra: list(v.extra) },
          hasEvaluator: !v['no-evaluator'],
        }),
      );
      ctx.print(`window ${window.number} "${window.name}" of ${window.departmentId}: 主办 ${window.profile.main.join(', ')}${window.profile.extra.length ? `; 兼办 ${window.profile.extra.join(', ')}` : ''} (${window.state})`);
      return 0;
    }
    case 'window:list': {
      const windows = await ctx.withDatabase((db) => listWindows(db.db));
      for (const w of windows) ctx.print(`${w.number}\t${w.name}\t${w.departmentId}\t${w.profile.main.join(',')}${w.profile.extra.length ? `+${w.profile.extra.join(',')}` : ''}\t${w.state}${w.staffId ? `\t${w.staffId}` : ''}`);
      if (!windows.length) ctx.print('no windows');
      return 0;
    }
    case 'counter:pin': {
      const staffId = ctx.args[0];
      if (!staffId) throw new CounterStaffError('counter:pin needs a staff id (工号)');
      const pin = await ctx.readSecret('HALL_COUNTER_PIN', 'PIN');
      await ctx.withDatabase(async (db) => setCounterPin(db.db, clock, (await readHallState(db.db)).hallId, staffId, pin, 'cli'));
      ctx.print(`counter PIN set for staff ${staffId}`);
      return 0;
    }
    default:
      return undefined;
  }
}
