import { KassaError } from '../../errors.js';
import { type BrokenLink, ChainVerifier, computeEntryHash } from '../chain.js';
import { sha256Hex } from '../digest.js';
import type { AnyJournalEntry } from '../entries.js';
import type { PushResult } from '../sync.js';

/** One register's verified head at the receiver. */
export interface ReceiverHead {
  readonly seq: number;
  readonly hash: string;
}

/** A refused entry, kept for a person to look at. */
export interface ReceiverBreak {
  readonly register: string;
  readonly seq: number;
  readonly id: string;
  readonly reason: string;
  readonly message: string;
  readonly receivedAt: string;
}

/** The operations of one receiver transaction, holding one register's lock. */
export interface ReceiverTx {
  /** Locks the register's row for the transaction and returns its head (null: unknown register). */
  lockHead(register: string): Promise<ReceiverHead | null>;
  storedHashes(register: string, seqs: readonly number[]): Promise<Map<number, string>>;
  /** Held entries of the register from `fromSeq` on, in seq order. */
  held(register: string, fromSeq: number, limit: number): Promise<AnyJournalEntry[]>;
  insert(register: string, entries: readonly AnyJournalEntry[]): Promise<void>;
  hold(register: string, entries: readonly AnyJournalEntry[]): Promise<void>;
  dropHeld(register: string, uptoSeq: number): Promise<void>;
  recordBreak(register: string, entry: AnyJournalEntry, broken: BrokenLink): Promise<void>;
  setHead(register: string, head: ReceiverHead): Promise<void>;
}

/** Where a receiver keeps the chain's journals: PostgreSQL or SQLite. */
export interface ReceiverStore {
  readonly kind: string;
  /** Applies the schema migrations the database has not seen yet. */
  migrate(): Promise<void>;
  /** Runs `fn` in one transaction (serialised per register by `lockHead`). */
  transaction<T>(fn: (tx: ReceiverTx) => Promise<T>): Promise<T>;
  secretHash(register: string): Promise<string | undefined>;
  /** Adds a register or replaces its secret hash. */
  putRegister(register: string, secretHash: string): Promise<void>;
  head(register: string): Promise<ReceiverHead | null>;
  breaks(register?: string): Promise<ReceiverBreak[]>;
  close(): Promise<void>;
}

const HELD_PAGE = 5000;

/**
 * Stores a batch of one register's entries: idempotent by id (a duplicate with the same hash is
 * acknowledged again; one with another hash is a break), verifying the chain from the stored
 * head, holding entries that arrive after a gap until the gap is filled, refusing (and recording)
 * the first entry that breaks the chain.
 */
export async function ingest(
  tx: ReceiverTx,
  register: string,
  incoming: readonly AnyJournalEntry[],
): Promise<PushResult> {
  const head = await tx.lockHead(register);
  if (!head) throw new KassaError('journal.unauthorized', `Unknown register ${register}`);
  const bySeq = new Map<number, AnyJournalEntry>();
  for (const e of incoming) if (!bySeq.has(e.seq)) bySeq.set(e.seq, e);
  const acknowledged: string[] = [];
  const refused: { id: string; reason: string; message: string }[] = [];

  const old = [...bySeq.keys()].filter((s) => s <= head.seq);
  if (old.length > 0) {
    const stored = await tx.storedHashes(register, old);
    // A duplicate is the same entry only when its content hashes to what is stored: the hash
    // field alone is a claim, not proof.
    const entries = old.map((seq) => bySeq.get(seq)!);
    const actual = await Promise.all(entries.map((e) => computeEntryHash(e).catch(() => '')));
    for (let i = 0; i < old.length; i++) {
      const seq = old[i]!;
      const e = entries[i]!;
      bySeq.delete(seq);
      if (stored.get(seq) === e.hash && actual[i] === e.hash) acknowledged.push(e.id);
      else {
        const broken: BrokenLink = {
          seq,
          id: e.id,
          reason: 'hash',
          message: `entry ${e.id} differs from the one already stored (a rewritten journal)`,
        };
        await tx.recordBreak(register, e, broken);
        refused.push({ id: e.id, reason: broken.reason, message: broken.message });
      }
    }
  }

  // The run that continues the stored chain: from the batch, topped up with held entries.
  let next = head.seq + 1;
  const run: AnyJournalEntry[] = [];
  let heldLoadedTo = 0;
  for (;;) {
    const e = bySeq.get(next);
    if (e) {
      run.push(e);
      bySeq.delete(next);
      next++;
      continue;
    }
    if (heldLoadedTo >= next) break;
    const held = await tx.held(register, next, HELD_PAGE);
    if (held.length === 0 || held[0]!.seq !== next) break;
    for (const h of held) if (!bySeq.has(h.seq)) bySeq.set(h.seq, h);
    heldLoadedTo = held[held.length - 1]!.seq;
  }
  let newHead = head;
  if (run.length > 0) {
    const verifier = new ChainVerifier({ register, after: head });
    await verifier.push(run);
    const result = verifier.result();
    const good = run.slice(0, result.count);
    if (good.length > 0) {
      await tx.insert(register, good);
      newHead = result.head;
      for (const e of good) acknowledged.push(e.id);
      await tx.dropHeld(register, newHead.seq);
      await tx.setHead(register, newHead);
    }
    if (result.broken) {
      const bad = run[result.count]!;
      await tx.recordBreak(register, bad, result.broken);
      refused.push({ id: bad.id, reason: result.broken.reason, message: result.broken.message });
      // What follows a break cannot be chained until the break is resolved: hold it.
      for (const e of run.slice(result.count + 1)) bySeq.set(e.seq, e);
    }
  }
  const toHold = [...bySeq.values()].filter((e) => e.seq > newHead.seq).sort((a, b) => a.seq - b.seq);
  if (toHold.length > 0) await tx.hold(register, toHold);
  return {
    acknowledged,
    ...(toHold.length > 0 ? { held: toHold.map((e) => e.id) } : {}),
    ...(refused.length > 0 ? { refused } : {}),
  };
}

/** Options of {@link createReceiver}. */
export interface ReceiverOptions {
  readonly store: ReceiverStore;
  /** Most entries accepted in one request. Default 5,000. */
  readonly maxEntries?: number;
}

/** A reference receiver: a fetch-style handler and the register administration. */
export interface Receiver {
  /**
   * Handles `POST { entries }` with `Authorization: Bearer <secret>` and `X-Kassa-Register`.
   * 200 with `{ acknowledged, held?, refused? }`; 409 when something was refused; 401 for a
   * missing or wrong secret; 403 when an entry belongs to another register; 400 for a malformed body.
   * Usable from Node's http server (through a Request adapter), Hono, Express or a worker.
   */
  handle(request: Request): Promise<Response>;
  /** Adds a register with its secret (only the SHA-256 of the secret is stored). */
  addRegister(register: string, secret: string): Promise<void>;
  readonly store: ReceiverStore;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function sameText(a: string, b: string): boolean {
  // Both are hex digests of equal length; compare every character so the time does not tell.
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

const REGISTER = /^[A-Za-z0-9._-]{1,64}$/;

function looksLikeEntry(e: unknown): e is AnyJournalEntry {
  if (typeof e !== 'object' || e === null) return false;
  const r = e as Record<string, unknown>;
  return (
    typeof r.register === 'string' &&
    typeof r.id === 'string' &&
    typeof r.hash === 'string' &&
    typeof r.seq === 'number' &&
    Number.isSafeInteger(r.seq) &&
    r.seq >= 1
  );
}

/** Creates the reference receiver over a store (see `createPostgresReceiverStore`, `createSqliteReceiverStore`). */
export function createReceiver(options: ReceiverOptions): Receiver {
  const { store } = options;
  const maxEntries = options.maxEntries ?? 5000;
  const secrets = new Map<string, { hash: string; until: number }>();

  async function secretHashOf(register: string): Promise<string | undefined> {
    const cached = secrets.get(register);
    if (cached && cached.until > Date.now()) return cached.hash;
    const hash = await store.secretHash(register);
    if (hash) secrets.set(register, { hash, until: Date.now() + 60_000 });
    return hash;
  }

  return {
    store,
    async addRegister(register, secret) {
      if (!REGISTER.test(register))
        throw new KassaError('validation.invalid_input', `Bad register id ${register}`);
      if (secret.length < 16)
        throw new KassaError('validation.invalid_input', 'A register secret needs at least 16 characters');
      const hash = await sha256Hex(secret);
      await store.putRegister(register, hash);
      secrets.delete(register);
    },
    async handle(request) {
      if (request.method !== 'POST') return json(405, { error: 'method not allowed' });
      const register = request.headers.get('x-kassa-register') ?? '';
      const auth = request.headers.get('authorization') ?? '';
      const secret = auth.startsWith('Bearer ') ? auth.slice(7) : '';
      if (!REGISTER.test(register) || secret.length === 0)
        return json(401, { error: 'journal.unauthorized', message: 'missing register or secret' });
      const expected = await secretHashOf(register);
      if (!expected || !sameText(expected, await sha256Hex(secret)))
        return json(401, { error: 'journal.unauthorized', message: 'wrong register or secret' });
      let body: unknown;
      try {
        body = await request.json();
      } catch {
        return json(400, { error: 'journal.invalid_entry', message: 'the body is not JSON' });
      }
      const entries = (body as { entries?: unknown } | null)?.entries;
      if (!Array.isArray(entries) || entries.length > maxEntries || !entries.every(looksLikeEntry))
        return json(400, {
          error: 'journal.invalid_entry',
          message: `expected { entries: [...] } with at most ${maxEntries} journal entries`,
        });
      const foreign = entries.find((e) => e.register !== register || e.id !== `${register}:${e.seq}`);
      if (foreign)
        return json(403, {
          error: 'journal.unauthorized',
          message: `register ${register} cannot write entry ${foreign.id} of register ${foreign.register}`,
        });
      if (entries.length === 0) return json(200, { acknowledged: [] });
      const result = await store.transaction((tx) => ingest(tx, register, entries));
      return json(result.refused ? 409 : 200, result);
    },
  };
}
