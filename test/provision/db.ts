import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { inject } from 'vitest';
import { postgresBinDir } from './system.js';

function psql(url: string, statement: string): string {
  const bin = postgresBinDir();
  const command = bin ? join(bin, 'psql') : 'psql';
  return execFileSync(command, [url, '-v', 'ON_ERROR_STOP=1', '-tAc', statement], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** The superuser URL of the test run's PostgreSQL server (started by test/provision/global-setup.ts). */
export function postgresUrl(): string {
  const url = inject('kassaPostgresUrl') ?? process.env.KASSA_TEST_POSTGRES_URL;
  if (!url)
    throw new Error(
      'no PostgreSQL server: the vitest globalSetup test/provision/global-setup.ts did not run',
    );
  return url;
}

/**
 * A fresh, empty database on the run's server, so that test files running side by side never
 * see each other's tables. `drop()` removes it (connections must be closed first).
 */
export function createTestDatabase(prefix = 'kassa_test'): { url: string; name: string; drop: () => void } {
  const server = postgresUrl();
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  psql(server, `create database ${name}`);
  return {
    url: withDatabase(server, name),
    name,
    drop: () => {
      psql(server, `drop database if exists ${name} with (force)`);
    },
  };
}
