/**
 * Runs every benchmark (`bench/<area>/index.ts`, or every `.ts` file of an area without one) one after
 * the other in its own process, so one area's JIT state does not colour another's.
 * `npm run bench -- cart receipts` runs only those areas.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('.', import.meta.url).pathname;
const only = process.argv.slice(2);
const files: string[] = [];
for (const area of readdirSync(root).sort()) {
  const dir = join(root, area);
  if (!statSync(dir).isDirectory() || (only.length > 0 && !only.includes(area))) continue;
  if (existsSync(join(dir, 'index.ts'))) files.push(join(dir, 'index.ts'));
  else for (const file of readdirSync(dir).sort()) if (file.endsWith('.ts')) files.push(join(dir, file));
}
let failed = 0;
for (const file of files) {
  console.log(`\n## ${file.slice(root.length)}\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exit(failed > 0 ? 1 : 0);
