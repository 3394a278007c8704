/**
 * `kassa/payments/node`: the file-backed PaymentStore for Node. Kept out of
 * `kassa/payments` so that the browser build never sees node:fs.
 * @packageDocumentation
 */
import { open, readFile, truncate } from 'node:fs/promises';
import { KassaError } from '../errors.js';
import { PaymentRecordSchema } from './schemas.js';
import type { PaymentRecord, PaymentStore } from './types.js';

/** A PaymentStore in a file of JSON lines. */
export interface FilePaymentStore extends PaymentStore {
  readonly path: string;
  /** Closes the file. */
  close(): Promise<void>;
}

/**
 * Opens (creating if needed) a payment store in `path`: one JSON record per line, each
 * appended and fsync'ed before `append` resolves, so an attempt is on disk before its
 * request leaves. A last line torn by a crash mid-write is dropped (it was never
 * acknowledged); a bad line anywhere else is corruption and refuses to open.
 * @example
 * ```ts
 * import { openFilePaymentStore } from 'kassa/payments/node';
 * const store = await openFilePaymentStore('/var/lib/till/payments.jsonl');
 * ```
 * @throws KassaError `payment.store_corrupt`
 */
export async function openFilePaymentStore(path: string): Promise<FilePaymentStore> {
  if (typeof path !== 'string' || path.length === 0) {
    throw new KassaError('validation.invalid_input', 'A store path is required', { path: ['path'] });
  }
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const records: PaymentRecord[] = [];
  const lines = text.split('\n');
  const complete = text.endsWith('\n') || text.length === 0;
  let good = 0;
  for (const [i, line] of lines.entries()) {
    if (line.length === 0) continue;
    const last = i === lines.length - 1 && !complete;
    let parsed: ReturnType<typeof PaymentRecordSchema.safeParse> | undefined;
    try {
      parsed = PaymentRecordSchema.safeParse(JSON.parse(line));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) {
      if (last) break;
      throw new KassaError('payment.store_corrupt', `Line ${i + 1} of ${path} is not a payment record`, {
        line: i + 1,
      });
    }
    if (last) break; // a record without its newline was never acknowledged
    records.push(parsed.data);
    good += Buffer.byteLength(line, 'utf8') + 1;
  }
  if (good < Buffer.byteLength(text, 'utf8')) await truncate(path, good);
  const handle = await open(path, 'a');
  let chain: Promise<void> = Promise.resolve();
  return {
    path,
    append(record) {
      const line = `${JSON.stringify(PaymentRecordSchema.parse(record))}\n`;
      const run = chain.then(async () => {
        await handle.write(line);
        await handle.sync();
        records.push(structuredClone(record));
      });
      chain = run.catch(() => undefined);
      return run;
    },
    async records(query) {
      await chain;
      const list = query?.saleId === undefined ? records : records.filter((r) => r.saleId === query.saleId);
      return list.map((r) => structuredClone(r));
    },
    async close() {
      await chain;
      await handle.close();
    },
  };
}
