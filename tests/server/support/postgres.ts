import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../../support/free-port.ts';

/**
 * A private PostgreSQL cluster for one test file: initdb into a temp dir, listening on
 * 127.0.0.1 only, trust auth, fsync off (the tests kill server processes, never the machine).
 * Postgres refuses to run as root, so as root every binary runs as the `postgres` system user.
 */
export interface PostgresCluster {
  /** connection URL of a database in this cluster */
  url(database: string): string;
  createDatabase(name: string, template?: string): Promise<string>;
  stop(): Promise<void>;
}

const binaries = ['initdb', 'pg_ctl', 'postgres'];

/** The directory holding initdb, pg_ctl and postgres, or null when PostgreSQL is not installed. */
export function findPostgresBinDir(): string | null {
  // An explicit PG_BIN_DIR is the only place looked at, so a run can pin (or rule out) a version.
  if (process.env.PG_BIN_DIR !== undefined) return binaries.every((b) => existsSync(join(process.env.PG_BIN_DIR!, b))) ? process.env.PG_BIN_DIR : null;
  const candidates: string[] = [];
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(debianRoot, v, 'bin')));
  }
  const onPath = spawnSync('sh', ['-c', 'command -v pg_ctl'], { encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim()) candidates.push(join(onPath.stdout.trim(), '..'));
  return candidates.find((dir) => binaries.every((b) => existsSync(join(dir, b)))) ?? null;
}

export const postgresSkipReason =
  'PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in $PG_BIN_DIR, /usr/lib/postgresql/*/bin or PATH — install Debian\'s "postgresql" package (or set HALL_TEST_DATABASE_URL)';

function asPostgresUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error('running as root: PostgreSQL refuses root, and there is no "postgres" system user to run it as (Debian\'s postgresql package creates it)');
  }
}

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const external = process.env.HALL_TEST_DATABASE_URL;
  if (external) return externalCluster(external);
  const binDir = findPostgresBinDir();
  if (!binDir) throw new Error(postgresSkipReason);
  const owner = asPostgresUser();
  const dir = mkdtempSync(join(tmpdir(), 'hall-pg-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const run = (binary: string, args: string[]) => {
    const [cmd, argv] = owner ? ['runuser', ['-u', 'postgres', '--', join(binDir, binary), ...args]] : [join(binDir, binary), args];
    const result = spawnSync(cmd, argv, { encoding: 'utf8', cwd: dir });
    if (result.status !== 0) throw new Error(`${binary} failed (${result.status}): ${result.stderr || result.stdout}`);
  };
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '-N']);
  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    const options = `-k ${dir} -p ${port} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200`;
    try {
      run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '30', 'start']);
      break;
    } catch (error) {
      // Another process may have taken the port between our probe and postgres binding it.
      if (attempt >= 3) throw error;
    }
  }
  let stopped = false;
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  // A crashed test run must not leave a postgres behind.
  process.once('exit', stopNow);
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    url,
    createDatabase: (name, template) => createDatabase(url('postgres'), name, template).then(() => url(name)),
    async stop() {
      process.removeListener('exit', stopNow);
      stopNow();
    },
  };
}

async function createDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(name) || (template && !/^[a-z0-9_]+$/.test(template))) throw new Error(`bad database name ${name}`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database ${name}${template ? ` template ${template}` : ''}`);
  } finally {
    await client.end();
  }
}

/** CI with a PostgreSQL service: every test database is created inside it. */
function externalCluster(adminUrl: string): PostgresCluster {
  const url = (database: string) => {
    const u = new URL(adminUrl);
    u.pathname = `/${database}`;
    return u.toString();
  };
  return {
    url,
    createDatabase: (name, template) => createDatabase(adminUrl, name, template).then(() => url(name)),
    async stop() {},
  };
}
