import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { monthSchema } from '../../core/attendance/bulletin.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import { buildMonthlyBulletin } from '../attendance/bulletin.ts';
import { bulletinCsv } from '../attendance/bulletin-csv.ts';
import { bulletinXlsx } from '../attendance/bulletin-xlsx.ts';
import { CatalogStore } from '../catalog/catalog-store.ts';
import { HallCalendarStore } from '../calendar/calendar-store.ts';
import type { ServerDb } from '../db/connect.ts';
import { StaffError, addStaff, deactivateStaff, listStaff, updateStaff } from './roster.ts';
import { TemplateIntegrityError } from './template-cipher.ts';
import { TemplateKeyError, newTemplateKeyText, templateKeyFromConfig } from './template-key.ts';
import { rotateTemplateKey } from './templates.ts';

/** The staff and attendance commands of server/cli.ts, kept here so cli.ts only dispatches. */

export const staffCliOptions = {
  department: { type: 'string' },
  counter: { type: 'string' },
  role: { type: 'string' },
  schedule: { type: 'string' },
  reactivate: { type: 'boolean' },
  all: { type: 'boolean' },
  month: { type: 'string' },
  by: { type: 'string' },
  out: { type: 'string' },
  'template-key-file': { type: 'string' },
  'new-template-key-file': { type: 'string' },
} as const;

export const staffCliUsage = `
  staff:add <staff-id> --name NAME --department ID [--counter "12号窗口"] [--role staff|supervisor|admin] [--schedule ID]
  staff:update <staff-id> [--name] [--department] [--counter ""] [--role] [--schedule ""] [--reactivate]
                                   an empty --counter or --schedule clears it
  staff:deactivate <staff-id>      off the roster; deletes the person's fingerprint templates everywhere
  staff:list [--department ID] [--all]
  attendance:export --month 2026-03 [--department ID] [--by person|department] [--out FILE.csv|FILE.xlsx]
                                   the monthly bulletin (考勤通报); CSV on stdout without --out
  template-key:new                 prints a new fingerprint template key (32 random bytes, base64)
  template-key:rotate --new-template-key-file NEW [--template-key-file OLD]
                                   re-encrypts every stored template under the new key (the current
                                   one from --template-key-file, else $HALL_TEMPLATE_KEY); all or
                                   nothing; then restart the servers with the new key

serve reads the template key from --template-key-file FILE, else $HALL_TEMPLATE_KEY; without
one, fingerprint templates are disabled.`;

export const staffCliErrors = [StaffError, TemplateKeyError, TemplateIntegrityError];

type Values = { [K in keyof typeof staffCliOptions]?: (typeof staffCliOptions)[K]['type'] extends 'boolean' ? boolean : string } & { name?: string };

export interface StaffCliContext {
  args: string[];
  values: Values;
  clock: Clock;
  withDatabase<T>(run: (db: ServerDb) => Promise<T>): Promise<T>;
  print(line: string): void;
  env: Record<string, string | undefined>;
}

const orNull = (text: string | undefined) => (text === undefined ? undefined : text.trim() === '' ? null : text);

function staffIdArg(ctx: StaffCliContext, command: string): string {
  const id = ctx.args[0];
  if (!id) throw new StaffError(`${command} needs a staff id (工号)`);
  return id;
}

/** Runs `command` if it is one of these; undefined when it is not. */
export async function runStaffCommand(command: string, ctx: StaffCliContext): Promise<number | undefined> {
  const { values: v, clock } = ctx;
  switch (command) {
    case 'staff:add': {
      const id = staffIdArg(ctx, command);
      const member = await ctx.withDatabase((db) =>
        addStaff(db.db, clock, { id, name: v.name, departmentId: v.department, counter: orNull(v.counter) ?? null, role: v.role, scheduleId: orNull(v.schedule) ?? null }),
      );
      ctx.print(`staff ${member.id} added to ${member.departmentId}${member.counter ? `, ${member.counter}` : ''} (${member.role})`);
      return 0;
    }
    case 'staff:update': {
      const id = staffIdArg(ctx, command);
      const patch = { name: v.name, departmentId: v.department, counter: orNull(v.counter), role: v.role, scheduleId: orNull(v.schedule), active: v.reactivate ? true : undefined };
      const member = await ctx.withDatabase((db) => updateStaff(db.db, clock, id, patch));
      ctx.print(`staff ${member.id} updated${member.active ? '' : ' (deactivated)'}`);
      return 0;
    }
    case 'staff:deactivate': {
      const id = staffIdArg(ctx, command);
      const result = await ctx.withDatabase((db) => deactivateStaff(db.db, clock, id));
      ctx.print(`staff ${id} deactivated; ${result.templatesDeleted} fingerprint template(s) deleted, kiosks delete theirs on their next pull`);
      return 0;
    }
    case 'staff:list': {
      const staff = await ctx.withDatabase((db) => listStaff(db.db, { departmentId: v.department, includeInactive: v.all }));
      for (const s of staff) {
        ctx.print(`${s.id}\t${s.name}\t${s.departmentId}\t${s.counter ?? '-'}\t${s.role}\t${s.scheduleId ?? '-'}\t${s.active ? 'active' : 'inactive'}\tfingers ${s.fingers.join(',') || '-'}`);
      }
      if (!staff.length) ctx.print('no staff');
      return 0;
    }
    case 'attendance:export': {
      const month = monthSchema.safeParse(v.month);
      if (!month.success) throw new StaffError('attendance:export needs --month YYYY-MM');
      const by = v.by ?? 'person';
      if (by !== 'person' && by !== 'department') throw new StaffError('--by is person or department');
      const report = await ctx.withDatabase((db) => buildMonthlyBulletin({ db: db.db, clock, catalogs: new CatalogStore(db.db), calendars: new HallCalendarStore(db.db) }, month.data, v.department));
      if (!v.out) {
        ctx.print(bulletinCsv(report, by).replace(/\r\n$/, ''));
        return 0;
      }
      writeFileSync(v.out, v.out.endsWith('.xlsx') ? await bulletinXlsx(report) : bulletinCsv(report, by));
      ctx.print(`bulletin for ${month.data} written to ${v.out}`);
      return 0;
    }
    case 'template-key:new':
      ctx.print(newTemplateKeyText(randomBytes));
      return 0;
    case 'template-key:rotate': {
      // Keys come from files (or the current one from the environment), never from the command line.
      const newFile = v['new-template-key-file'];
      if (!newFile) throw new TemplateKeyError('template-key:rotate needs --new-template-key-file FILE (make the key with template-key:new)');
      const current = templateKeyFromConfig({ env: ctx.env, ...(v['template-key-file'] === undefined ? {} : { keyFile: v['template-key-file'] }) });
      if (!current) throw new TemplateKeyError('template-key:rotate needs the current key: --template-key-file FILE or $HALL_TEMPLATE_KEY');
      const next = templateKeyFromConfig({ env: {}, keyFile: newFile })!;
      const { rotated, alreadyUnderNewKey } = await ctx.withDatabase((db) => rotateTemplateKey(db.db, current, next));
      ctx.print(
        `${rotated} fingerprint template(s) re-encrypted from key ${current.id} to key ${next.id}${alreadyUnderNewKey ? ` (${alreadyUnderNewKey} already under it)` : ''}; restart every server with the new key`,
      );
      return 0;
    }
    default:
      return undefined;
  }
}
