import { describe, expect, it } from 'vitest';
import { createTestDatabase, postgresUrl } from './db.js';
import { requirements } from './system.js';

describe('test provisioning', () => {
  it('has every system tool the suite needs', () => {
    expect(requirements.filter((r) => !r.present()).map((r) => r.name)).toEqual([]);
  });

  it('gives each caller its own empty PostgreSQL database', async () => {
    expect(postgresUrl()).toMatch(/^postgres:\/\/kassa@127\.0\.0\.1:\d+\/postgres$/);
    const a = createTestDatabase();
    const b = createTestDatabase();
    try {
      expect(a.name).not.toBe(b.name);
      expect(new URL(a.url).pathname).toBe(`/${a.name}`);
    } finally {
      a.drop();
      b.drop();
    }
  });
});
