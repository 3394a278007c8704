// Bundled by esbuild into the test page: the journal with IndexedDB storage, exposed on window.
import {
  type AnyJournalEntry,
  ChainVerifier,
  computeEntryHash,
  createIndexedDbStorage,
  createMemoryStorage,
  generateEd25519Signer,
  openJournal,
} from '../../../src/journal/index.js';
import { saleData } from '../fixtures.js';
import { buildReferenceJournal } from '../reference-journal.js';

const api = {
  async indexedDb(name: string) {
    const storage = () => createIndexedDbStorage({ name });
    const { signer, verifier } = await generateEd25519Signer('browser-key');
    const a = await openJournal({ register: 'web', storage: storage(), signer });
    const persistence = a.opened.persistence;
    await Promise.all(Array.from({ length: 20 }, (_, i) => a.append('sale.completed', saleData(i))));
    await a.close();
    const b = await openJournal({ register: 'web', storage: storage(), signer });
    await b.append('sale.completed', saleData(20));
    const verify = await b.verify({ verifiers: [verifier] });
    const cashOnly = (await b.read({ types: ['sale.completed'], from: 5, to: 7 })).map((e) => e.seq);
    await b.storage.setMeta('sync:default', '12');
    await b.close();
    const c = await openJournal({ register: 'web', storage: storage() });
    const meta = await c.storage.getMeta('sync:default');
    const head = c.head();
    await c.close();
    return { persistence, verify, cashOnly, meta, head };
  },
  async reference() {
    return {
      offset: new Date(0).getTimezoneOffset(),
      zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      entries: await buildReferenceJournal(createMemoryStorage()),
    };
  },
  async rehash(entries: AnyJournalEntry[]) {
    const hashes = await Promise.all(
      entries.map((e) => {
        const { hash: _h, ...rest } = e;
        return computeEntryHash(rest);
      }),
    );
    const verifier = new ChainVerifier({ register: entries[0]!.register });
    await verifier.push(entries);
    return { hashes, result: verifier.result() };
  },
};

(window as unknown as { kassaJournalTest: typeof api }).kassaJournalTest = api;
