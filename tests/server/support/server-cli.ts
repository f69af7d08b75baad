import { spawn } from 'node:child_process';
import type { TestDatabase } from './engines.ts';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** the database to pass as `--db`; none for commands that need no database */
  db?: TestDatabase;
  /** added to a clean environment (no DATABASE_URL or admin password from the caller's) */
  env?: Record<string, string>;
  stdin?: string;
}

/** Runs `npm run server -- <args>` as the hall's IT staff would: its own process, exit code and output. */
export function runServerCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const dbArgs = options.db ? ['--db', options.db.dbArg] : [];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args, ...dbArgs], {
      env: { ...process.env, DATABASE_URL: '', HALL_ADMIN_PASSWORD: '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}
