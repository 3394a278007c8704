import type { TestProject } from 'vitest/node';
import { startPostgres, type TestPostgres } from './postgres.js';
import { ensureSystemRequirements } from './system.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the PostgreSQL server this test run started (see test/provision/db.ts). */
    kassaPostgresUrl: string;
  }
}

/**
 * Runs once before any test file: installs the system tools the suite needs (or stops in the
 * first seconds naming them), then starts a PostgreSQL server for the run. An outside server
 * can be used instead by setting KASSA_TEST_POSTGRES_URL to a superuser URL.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  ensureSystemRequirements();
  let server: TestPostgres | undefined;
  let url = process.env.KASSA_TEST_POSTGRES_URL;
  if (!url) {
    server = await startPostgres();
    url = server.url;
  }
  project.provide('kassaPostgresUrl', url);
  process.env.KASSA_TEST_POSTGRES_URL = url;
  return async () => {
    await server?.stop();
  };
}
