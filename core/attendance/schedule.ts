import { z } from 'zod';
import { staffIdSchema, workScheduleIdSchema } from './roster.ts';
import { sessionSchema } from '../calendar/calendar-rules.ts';
import type { HallRules } from '../calendar/calendar-rules.ts';

/**
 * When a person is due at their window. A schedule either follows one of the hall's timetables
 * (its seasons and weekdays: the counters' own hours) or lists its own sessions (staff due at
 * 08:50 for counters opening at 09:00). Holidays and 调休 always come from the hall calendar.
 */
export const workScheduleSchema = z
  .object({
    id: workScheduleIdSchema,
    name: z.string().trim().min(1).max(60),
    timetableId: z.string().min(1).optional(),
    /** the same sessions in every season; `issueUntil` is meaningless here and ignored */
    sessions: z.array(sessionSchema).min(1).optional(),
    /** signing in up to this many minutes after the start is still on time */
    lateGraceMinutes: z.int().min(0).max(120).default(5),
    /** signing out up to this many minutes before the end is not leaving early */
    earlyLeaveGraceMinutes: z.int().min(0).max(120).default(0),
    /** how long before the day's first session a sign-in counts (later sessions: from the one before's end) */
    signInOpensMinutes: z.int().min(0).max(240).default(60),
    /** how long after a session ends a sign-out still counts for it */
    signOutClosesMinutes: z.int().min(0).max(240).default(60),
  })
  .superRefine((s, ctx) => {
    if ((s.timetableId === undefined) === (s.sessions === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['timetableId'], message: 'give either timetableId (a hall timetable) or sessions, not both or neither' });
    }
  });
export type WorkSchedule = z.infer<typeof workScheduleSchema>;
export type WorkScheduleInput = z.input<typeof workScheduleSchema>;

/** What applies to anyone whose schedule and department name none: the hall's own hours. */
export function defaultWorkSchedule(rules: HallRules): WorkSchedule {
  return {
    id: 'hall-default',
    name: '大厅作息时间',
    timetableId: rules.hallTimetableId,
    lateGraceMinutes: 5,
    earlyLeaveGraceMinutes: 0,
    signInOpensMinutes: 60,
    signOutClosesMinutes: 60,
  };
}

/** A schedule whose timetable the rules lack would silently mean "never due": refuse it. */
export function scheduleProblems(schedule: WorkSchedule, rules: HallRules): string[] {
  if (schedule.timetableId !== undefined && !rules.timetables.some((t) => t.id === schedule.timetableId)) {
    return [`timetableId: the hall calendar has no timetable "${schedule.timetableId}" (it has ${rules.timetables.map((t) => t.id).join(', ')})`];
  }
  return [];
}

/** 请假 takes a person off work; 外出 is work away from the window (送件, meetings) and is registered as such. */
export const absenceKinds = ['leave', 'outing'] as const;
export type AbsenceKind = (typeof absenceKinds)[number];

export const absenceSchema = z
  .object({
    id: z.string().min(1),
    staffId: staffIdSchema,
    kind: z.enum(absenceKinds),
    /** epoch ms, inclusive */
    from: z.int(),
    /** epoch ms, exclusive; moved earlier when the person reports back (销假) */
    to: z.int(),
    note: z.string().max(200).nullable(),
  })
  .refine((a) => a.to > a.from, { path: ['to'], message: 'an absence must end after it starts' });
export type Absence = z.infer<typeof absenceSchema>;
