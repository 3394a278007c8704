import { type Customer, parseCustomer } from './customer.js';
import { customerError } from './errors.js';

/**
 * Where customer records live: a port, so an app keeps them in its own database or CRM.
 * kassa ships {@link createMemoryCustomerStore} for tests, kiosks and demos.
 */
export interface CustomerStore {
  get(id: string): Promise<Customer | undefined>;
  /** Validates and stores (creates or replaces) a record; returns the stored copy. */
  put(customer: Customer): Promise<Customer>;
  /** True when a record was removed. */
  remove(id: string): Promise<boolean>;
  /**
   * Exact-match lookup by email (case-insensitive) or phone (digits and `+` only), or everyone
   * in a group; criteria combine with AND, results are sorted by id. A till calls this while
   * the customer waits: a store should answer from an index on each of the three keys (the
   * memory store does), not by scanning every record.
   */
  find(query: { email?: string; phone?: string; group?: string }): Promise<Customer[]>;
}

/**
 * Loads a customer or throws `customer.not_found` (the message names the id only).
 * @throws KassaError `customer.not_found`
 */
export async function requireCustomer(store: CustomerStore, id: string): Promise<Customer> {
  const customer = await store.get(id);
  if (customer === undefined) {
    throw customerError('customer.not_found', `No customer with id ${JSON.stringify(id)}`, {
      path: ['id'],
      id,
    });
  }
  return customer;
}

function normalisePhone(phone: string): string {
  return phone.replace(/[^0-9+]/g, '');
}

/** Adds `id` to the set under `key`. */
function addTo(index: Map<string, Set<string>>, key: string, id: string): void {
  const set = index.get(key);
  if (set === undefined) index.set(key, new Set([id]));
  else set.add(id);
}

/** Removes `id` from the set under `key`, dropping the set when it empties (no growth from churn). */
function removeFrom(index: Map<string, Set<string>>, key: string, id: string): void {
  const set = index.get(key);
  if (set === undefined) return;
  set.delete(id);
  if (set.size === 0) index.delete(key);
}

const byId = (a: Customer, b: Customer): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * An in-memory {@link CustomerStore}; records are copied in and out, so callers cannot mutate them.
 * `find` goes through indexes by lower-cased email, normalised phone and group, so its cost
 * depends on the number of matches, not on the number of customers.
 */
export function createMemoryCustomerStore(initial: readonly Customer[] = []): CustomerStore {
  const records = new Map<string, Customer>();
  const byEmail = new Map<string, Set<string>>();
  const byPhone = new Map<string, Set<string>>();
  const byGroup = new Map<string, Set<string>>();
  // Every write goes through these two, so a replaced record leaves no stale key behind.
  const unindex = (c: Customer): void => {
    if (c.email !== undefined) removeFrom(byEmail, c.email.toLowerCase(), c.id);
    if (c.phone !== undefined) removeFrom(byPhone, normalisePhone(c.phone), c.id);
    for (const g of c.groups) removeFrom(byGroup, g, c.id);
  };
  const store = (c: Customer): void => {
    const previous = records.get(c.id);
    if (previous !== undefined) unindex(previous);
    records.set(c.id, c);
    if (c.email !== undefined) addTo(byEmail, c.email.toLowerCase(), c.id);
    if (c.phone !== undefined) addTo(byPhone, normalisePhone(c.phone), c.id);
    for (const g of c.groups) addTo(byGroup, g, c.id);
  };
  for (const c of initial) store(parseCustomer(c));
  return {
    async get(id) {
      const c = records.get(id);
      return c === undefined ? undefined : structuredClone(c);
    },
    async put(customer) {
      const parsed = parseCustomer(customer);
      store(structuredClone(parsed));
      return structuredClone(parsed);
    },
    async remove(id) {
      const previous = records.get(id);
      if (previous === undefined) return false;
      unindex(previous);
      return records.delete(id);
    },
    async find(query) {
      const email = query.email?.toLowerCase();
      const phone = query.phone === undefined ? undefined : normalisePhone(query.phone);
      // Start from the smallest index that applies; the other criteria filter its few records.
      const candidates: Set<string>[] = [];
      if (email !== undefined) candidates.push(byEmail.get(email) ?? new Set());
      if (phone !== undefined) candidates.push(byPhone.get(phone) ?? new Set());
      if (query.group !== undefined) candidates.push(byGroup.get(query.group) ?? new Set());
      const ids =
        candidates.length === 0
          ? records.keys()
          : candidates.reduce((a, b) => (b.size < a.size ? b : a)).values();
      const out: Customer[] = [];
      for (const id of ids) {
        const c = records.get(id)!;
        if (email !== undefined && c.email?.toLowerCase() !== email) continue;
        if (phone !== undefined && (c.phone === undefined || normalisePhone(c.phone) !== phone)) continue;
        if (query.group !== undefined && !c.groups.includes(query.group)) continue;
        out.push(structuredClone(c));
      }
      return out.sort(byId);
    },
  };
}
