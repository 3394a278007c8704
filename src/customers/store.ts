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
  /** Exact-match lookup by email or phone, or everyone in a group. */
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

/** An in-memory {@link CustomerStore}; records are copied in and out, so callers cannot mutate them. */
export function createMemoryCustomerStore(initial: readonly Customer[] = []): CustomerStore {
  const records = new Map<string, Customer>();
  for (const c of initial) {
    const parsed = parseCustomer(c);
    records.set(parsed.id, parsed);
  }
  return {
    async get(id) {
      const c = records.get(id);
      return c === undefined ? undefined : structuredClone(c);
    },
    async put(customer) {
      const parsed = parseCustomer(customer);
      records.set(parsed.id, structuredClone(parsed));
      return structuredClone(parsed);
    },
    async remove(id) {
      return records.delete(id);
    },
    async find(query) {
      const email = query.email?.toLowerCase();
      const phone = query.phone === undefined ? undefined : normalisePhone(query.phone);
      const out: Customer[] = [];
      for (const c of records.values()) {
        if (email !== undefined && c.email?.toLowerCase() !== email) continue;
        if (phone !== undefined && (c.phone === undefined || normalisePhone(c.phone) !== phone)) continue;
        if (query.group !== undefined && !c.groups.includes(query.group)) continue;
        out.push(structuredClone(c));
      }
      return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
  };
}
