import * as z from 'zod/mini';
import { fromZodError, KassaError, parseInput } from '../errors.js';
import { lineInputSchema } from './schemas.js';
import type { TaxInput } from './types.js';

/** A product as a catalog knows it; what a scan or a typed SKU resolves to. */
export interface CatalogProduct {
  sku: string;
  name?: string;
  /** Decimal string, up to 6 decimals; per `unit` for measured goods. */
  unitPrice: string;
  /** `'each'` (default) or a measure unit (`'kg'`). */
  unit?: string;
  taxCategory?: string;
  taxes?: TaxInput[];
  categories?: string[];
  attributes?: Record<string, string>;
  /** GTINs (EAN-13, UPC-A, ...) that identify the product, normalised to 14 digits or as printed. */
  gtins?: string[];
  priceIncludesTax?: boolean;
}

/**
 * The product lookup port of the cart. Synchronous: a till keeps its catalog in memory
 * (or in IndexedDB, loaded at start-up), so a scan never waits on the network.
 */
export interface Catalog {
  /** Finds a product by SKU or by any of its GTINs. */
  lookup(code: string): CatalogProduct | undefined;
}

// The line fields themselves are checked by the line schema below; this one refuses keys
// that no product has (a misspelt `taxCategory` would otherwise price at no tax).
const productSchema = z.strictObject({
  sku: z.string().check(z.minLength(1)),
  unitPrice: z.string(),
  gtins: z.optional(z.array(z.string())),
  name: z.optional(z.unknown()),
  unit: z.optional(z.unknown()),
  taxCategory: z.optional(z.unknown()),
  taxes: z.optional(z.unknown()),
  categories: z.optional(z.unknown()),
  attributes: z.optional(z.unknown()),
  priceIncludesTax: z.optional(z.unknown()),
});

/** Strips leading zeros so that a UPC-A, its EAN-13 and its GTIN-14 forms find the same product. */
function gtinKey(code: string): string | undefined {
  return /^\d{8,14}$/.test(code) ? code.replace(/^0+/, '') : undefined;
}

/**
 * An in-memory catalog over a list of products, indexed by SKU and by GTIN (leading zeros
 * ignored, so `'4006381333931'` and `'04006381333931'` are the same product).
 * @example
 * ```ts
 * const catalog = createMemoryCatalog([{ sku: 'milk-1l', unitPrice: '1.19', gtins: ['4006381333931'] }]);
 * catalog.lookup('04006381333931')?.sku; // 'milk-1l'
 * ```
 */
export function createMemoryCatalog(products: readonly CatalogProduct[]): Catalog {
  parseInput(z.array(productSchema), products, 'catalog products');
  // A bad price or tax is reported here, against the product, rather than on the first scan
  // against a command that never gave a price.
  for (const [index, product] of products.entries()) {
    const asLine = {
      id: 'catalog',
      sku: product.sku,
      unitPrice: product.unitPrice,
      quantity: 1,
      ...(product.name === undefined ? {} : { name: product.name }),
      ...(product.unit === undefined ? {} : { unit: product.unit }),
      ...(product.taxCategory === undefined ? {} : { taxCategory: product.taxCategory }),
      ...(product.taxes === undefined ? {} : { taxes: product.taxes }),
      ...(product.categories === undefined ? {} : { categories: product.categories }),
      ...(product.attributes === undefined ? {} : { attributes: product.attributes }),
      ...(product.priceIncludesTax === undefined ? {} : { priceIncludesTax: product.priceIncludesTax }),
    };
    const result = lineInputSchema.safeParse(asLine);
    if (!result.success) {
      const error = fromZodError(result.error, 'validation.invalid_input', 'catalog product');
      const path = [index, ...(error.details.path ?? [])];
      throw new KassaError(
        error.code,
        `Invalid catalog product at ${path.join('.')}: ${error.details.issues?.[0]?.message ?? ''}`,
        {
          path,
          issues: (error.details.issues ?? []).map((i) => ({ path: [index, ...i.path], message: i.message })),
        },
      );
    }
  }
  const bySku = new Map<string, CatalogProduct>();
  const byGtin = new Map<string, CatalogProduct>();
  for (const product of products) {
    bySku.set(product.sku, product);
    for (const gtin of product.gtins ?? []) {
      const key = gtinKey(gtin);
      if (key !== undefined) byGtin.set(key, product);
    }
  }
  return {
    lookup(code) {
      const found = bySku.get(code);
      if (found) return found;
      const key = gtinKey(code);
      return key === undefined ? undefined : byGtin.get(key);
    },
  };
}
