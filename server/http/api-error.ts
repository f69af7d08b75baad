import type { z } from 'zod';
import type { ClosedReason } from '../../core/calendar/hall-calendar.ts';
import type { LocalizedText } from '../../core/text/localized.ts';
import type { ApiErrorCode } from '../../core/sync/errors.ts';

export interface ApiErrorDetails {
  field?: string;
  lastAppliedSeq?: number;
  retryAfterSeconds?: number;
  reason?: ClosedReason;
  nextOpening?: number | null;
  holiday?: LocalizedText;
  lockedUntil?: number;
  /** every problem of a body refused as a whole (a catalog import, a hall calendar), each at its place */
  issues?: readonly unknown[];
  /** counter-refused: the refusal's code and its text in both languages */
  refusal?: string;
  localized?: LocalizedText;
}

/** An answer the client can act on: HTTP status, a stable code, and a sentence for a person. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details: ApiErrorDetails = {},
  ) {
    super(message);
  }
}

/** `events[2].payload.ticket.sequence`: the path as the client wrote it. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = fieldPath(issue.path);
  const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : '';
  throw new ApiError(400, 'invalid-body', `${what}: ${field || '(root)'}: ${issue.message}${more}`, field ? { field } : {});
}
