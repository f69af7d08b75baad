/**
 * A unique or primary-key violation from either engine: PostgreSQL's SQLSTATE 23505, or
 * better-sqlite3's SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY. Returns the constraint's name (or
 * SQLite's column list) so a dead letter can say what collided.
 */
export function uniqueViolation(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, constraint, message } = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (code === '23505') return typeof constraint === 'string' ? constraint : 'unique constraint';
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const columns = typeof message === 'string' ? message.replace(/^UNIQUE constraint failed: /, '') : '';
    return columns || 'unique constraint';
  }
  return null;
}
