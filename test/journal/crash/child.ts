// Appends as fast as it can until it is killed; prints each acknowledged append synchronously
// (a pipe write on Linux is synchronous), so the parent knows exactly what was acknowledged.
import { writeSync } from 'node:fs';
import { createFileStorage, createSqliteStorage, openJournal } from '../../../src/journal/node.js';
import { saleData } from '../fixtures.js';

const [kind, path, appendersArg] = process.argv.slice(2);
const storage = kind === 'sqlite' ? createSqliteStorage({ path: path! }) : createFileStorage({ path: path! });
const journal = await openJournal({ register: 'crash', storage });
writeSync(1, `open ${journal.head().seq} ${journal.opened.repaired ? journal.opened.repaired.dropped : 0}\n`);
let n = journal.head().seq;
const appenders = Number(appendersArg ?? '4');
await Promise.all(
  Array.from({ length: appenders }, async () => {
    for (;;) {
      const k = ++n;
      const entry = await journal.append('sale.completed', saleData(k));
      writeSync(1, `ack ${entry.seq} ${entry.data.saleId}\n`);
    }
  }),
);
