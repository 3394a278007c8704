// Prints the hashes of the reference journal as built in this process (run under various TZ).
import { writeSync } from 'node:fs';
import { createMemoryStorage } from '../../../src/journal/index.js';
import { buildReferenceJournal } from '../reference-journal.js';

const entries = await buildReferenceJournal(createMemoryStorage());
writeSync(1, JSON.stringify({ tz: process.env.TZ, offset: new Date(0).getTimezoneOffset(), entries }));
