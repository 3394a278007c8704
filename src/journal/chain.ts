import { canonicalJson } from './canonical.js';
import { fromHex, sha256Hex, utf8 } from './digest.js';
import type { AnyJournalEntry, JournalEntry } from './entries.js';
import type { SignatureVerifier } from './signer.js';

/** The `prev` of a register's first entry. */
export const GENESIS_PREV = '0'.repeat(64);

/** Format versions this build can verify. Old versions stay here forever. */
export const SUPPORTED_VERSIONS: ReadonlySet<number> = new Set([1]);

/** The canonical JSON an entry's hash covers: every field but `hash`. @internal */
export function hashedText(entry: Omit<JournalEntry, 'hash'> | JournalEntry): string {
  const { hash: _hash, ...rest } = entry as JournalEntry;
  return canonicalJson(rest);
}

/** The canonical JSON a signature covers: every field but `sig` and `hash`. @internal */
export function signedText(entry: Omit<JournalEntry, 'hash' | 'sig'> | JournalEntry): string {
  const { hash: _hash, sig: _sig, ...rest } = entry as JournalEntry;
  return canonicalJson(rest);
}

/** SHA-256 (hex) of an entry as it is chained. */
export function computeEntryHash(entry: Omit<JournalEntry, 'hash'> | JournalEntry): Promise<string> {
  return sha256Hex(hashedText(entry));
}

/** Why a link of a chain is broken. */
export type BrokenLinkReason =
  | 'malformed'
  | 'version'
  | 'register'
  | 'seq'
  | 'id'
  | 'prev'
  | 'hash'
  | 'signature';

/** The first broken link of a chain. */
export interface BrokenLink {
  readonly seq: number;
  readonly id: string;
  readonly reason: BrokenLinkReason;
  readonly message: string;
}

/** What {@link ChainVerifier} and `journal.verify()` find. */
export interface VerifyResult {
  /** True when every entry checked links to the one before and hashes to its `hash`. */
  readonly ok: boolean;
  /** Entries checked. */
  readonly count: number;
  /** The last good entry's seq and hash (0 and the genesis hash when there is none). */
  readonly head: { readonly seq: number; readonly hash: string };
  /** The first broken link, when `ok` is false. */
  readonly broken?: BrokenLink;
  /** Entries that carry a signer error instead of a signature (never silent). */
  readonly unsigned: number;
}

/** Options of {@link ChainVerifier}. */
export interface ChainVerifierOptions {
  readonly register: string;
  /** Continue a chain: the seq and hash of the last entry already verified. */
  readonly after?: { readonly seq: number; readonly hash: string };
  /** Check signatures against these keys (by `keyId`); without it signatures are not checked. */
  readonly verifiers?: readonly SignatureVerifier[];
}

function isHash(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}

/**
 * Verifies a register's chain incrementally, batch by batch (the journal's `verify()` and the
 * receiver share it). The hashes of a batch are computed side by side; the links are then
 * checked in order, and the first broken one stops the verifier for good.
 */
export class ChainVerifier {
  readonly #register: string;
  readonly #verifiers: Map<string, SignatureVerifier>;
  #seq: number;
  #hash: string;
  #count = 0;
  #unsigned = 0;
  #broken: BrokenLink | undefined;

  constructor(options: ChainVerifierOptions) {
    this.#register = options.register;
    this.#seq = options.after?.seq ?? 0;
    this.#hash = options.after?.hash ?? GENESIS_PREV;
    this.#verifiers = new Map((options.verifiers ?? []).map((v) => [v.keyId, v]));
  }

  /** Checks the next entries of the chain, in seq order; returns false once a link is broken. */
  async push(entries: readonly unknown[]): Promise<boolean> {
    if (this.#broken) return false;
    const hashes = await Promise.all(
      entries.map((e) => {
        try {
          return computeEntryHash(e as JournalEntry);
        } catch {
          return Promise.resolve(undefined);
        }
      }),
    );
    for (let i = 0; i < entries.length; i++) {
      const broken = await this.#check(entries[i], hashes[i]);
      if (broken) {
        this.#broken = broken;
        return false;
      }
    }
    return true;
  }

  async #check(raw: unknown, hash: string | undefined): Promise<BrokenLink | undefined> {
    const expected = this.#seq + 1;
    const e = raw as Partial<AnyJournalEntry> | null;
    const seq = typeof e?.seq === 'number' ? e.seq : expected;
    const id = typeof e?.id === 'string' ? e.id : `${this.#register}:${expected}`;
    const link = (reason: BrokenLinkReason, message: string): BrokenLink => ({ seq, id, reason, message });
    if (
      e === null ||
      typeof e !== 'object' ||
      hash === undefined ||
      !isHash(e.hash) ||
      typeof e.type !== 'string'
    )
      return link('malformed', `entry ${id} is not a well-formed journal entry`);
    if (typeof e.v !== 'number' || !SUPPORTED_VERSIONS.has(e.v))
      return link('version', `entry ${id} has format version ${String(e.v)}, which this build cannot read`);
    if (e.register !== this.#register)
      return link('register', `entry ${id} belongs to register ${String(e.register)}, not ${this.#register}`);
    if (e.seq !== expected)
      return link('seq', `expected seq ${expected}, found ${String(e.seq)} (a gap or a repeat)`);
    if (e.id !== `${this.#register}:${expected}`)
      return link('id', `entry ${expected} has id ${String(e.id)}`);
    if (e.prev !== this.#hash)
      return link('prev', `entry ${id} does not link to the entry before it (prev ${String(e.prev)})`);
    if (e.hash !== hash) return link('hash', `entry ${id} was changed after it was written (hash mismatch)`);
    if (e.sig) {
      if ('error' in e.sig) this.#unsigned++;
      else if (this.#verifiers.size > 0) {
        const verifier = this.#verifiers.get(e.sig.keyId);
        const good =
          verifier !== undefined &&
          (await verifier
            .verify(utf8(signedText(e as JournalEntry)), fromHex(e.sig.value))
            .catch(() => false));
        if (!good) return link('signature', `entry ${id} has a signature that does not verify`);
      }
    }
    this.#seq = expected;
    this.#hash = e.hash;
    this.#count++;
    return undefined;
  }

  /** The result so far. */
  result(): VerifyResult {
    return {
      ok: this.#broken === undefined,
      count: this.#count,
      head: { seq: this.#seq, hash: this.#hash },
      unsigned: this.#unsigned,
      ...(this.#broken ? { broken: this.#broken } : {}),
    };
  }
}
