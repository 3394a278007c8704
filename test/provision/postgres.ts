import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresBinDir } from './system.js';

/** A PostgreSQL server the tests own: started in a temporary folder, gone after the run. */
export type TestPostgres = {
  /** A superuser URL on 127.0.0.1 (trust authentication, no password). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** Runs one SQL statement through psql as the superuser, against `database` (default `postgres`). */
  sql(statement: string, database?: string): string;
  stop(): Promise<void>;
};

const superuser = 'kassa';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user that
 * Debian's package creates (or `nobody`), in a folder that user owns.
 */
function serverUser(): { uid: number; gid: number; name: string } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      return { uid, gid, name };
    } catch {
      // try the next candidate
    }
  }
  throw new Error(
    'kassa tests: running as root, but there is no postgres or nobody user to run PostgreSQL as',
  );
}

/**
 * Starts a throw-away PostgreSQL server on a free port of 127.0.0.1. Durability settings are
 * relaxed (fsync off): the tests check what the database stores, not the disk's honesty.
 */
export async function startPostgres(options: { durable?: boolean } = {}): Promise<TestPostgres> {
  const bin = postgresBinDir();
  if (bin === undefined)
    throw new Error('kassa tests: PostgreSQL server binaries not found under /usr/lib/postgresql');
  const dir = mkdtempSync(join(tmpdir(), 'kassa-pg-'));
  const data = join(dir, 'data');
  const user = serverUser();
  if (user) {
    chownSync(dir, user.uid, user.gid);
    chmodSync(dir, 0o700);
  }
  const spawnOptions = user ? { uid: user.uid, gid: user.gid } : {};
  execFileSync(
    join(bin, 'initdb'),
    ['-D', data, '-U', superuser, '--auth=trust', '--encoding=UTF8', '--locale=C'],
    {
      stdio: 'ignore',
      ...spawnOptions,
    },
  );
  const port = await freePort();
  const settings = [
    ['listen_addresses', '127.0.0.1'],
    ['port', String(port)],
    ['unix_socket_directories', dir],
    ['max_connections', '200'],
    ['fsync', options.durable ? 'on' : 'off'],
    ['synchronous_commit', options.durable ? 'on' : 'off'],
    ['full_page_writes', options.durable ? 'on' : 'off'],
  ].flatMap(([key, value]) => ['-c', `${key}=${value}`]);
  const server: ChildProcess = spawn(join(bin, 'postgres'), ['-D', data, ...settings], {
    stdio: ['ignore', 'ignore', 'pipe'],
    ...spawnOptions,
  });
  let log = '';
  server.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const psql = join(bin, 'psql');
  const sql = (statement: string, database = 'postgres'): string =>
    execFileSync(
      psql,
      [
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        superuser,
        '-d',
        database,
        '-v',
        'ON_ERROR_STOP=1',
        '-tAc',
        statement,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`kassa tests: PostgreSQL exited at start:\n${log}`);
    try {
      sql('select 1');
      break;
    } catch {
      if (Date.now() > deadline) {
        server.kill('SIGKILL');
        throw new Error(`kassa tests: PostgreSQL did not accept connections within 30 s:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url: `postgres://${superuser}@127.0.0.1:${port}/postgres`,
    host: '127.0.0.1',
    port,
    user: superuser,
    sql,
    async stop() {
      if (server.exitCode === null) {
        const exited = new Promise((r) => server.once('exit', r));
        server.kill('SIGQUIT'); // immediate shutdown: nothing here needs to survive
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (server.exitCode === null) server.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
