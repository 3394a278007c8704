import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/*
 * Each terminal subpath ships only its own provider: an app that takes cards on Adyen must
 * not download Stripe's or Square's adapter, and the core `kassa/payments` entry carries
 * none of them. Browser-side entries (Stripe's JS SDK adapter, Adyen, the proxy, which also
 * runs in edge workers) must not import Node built-ins.
 */

const entries = {
  stripe: 'src/payments/providers/stripe/index.ts',
  square: 'src/payments/providers/square/index.ts',
  adyen: 'src/payments/providers/adyen/index.ts',
  proxy: 'src/payments/proxy/index.ts',
  payments: 'src/payments/index.ts',
} as const;

/** Words only one provider's protocol uses. */
const markers = {
  stripe: ['payment_intent', 'process_payment_intent', 'collectPaymentMethod'],
  square: ['/v2/terminals/checkouts', 'square-version', 'device_options'],
  adyen: ['SaleToPOIRequest', 'AdyenNexoV1Salt', 'TransactionStatusRequest'],
} as const;

async function bundle(path: string) {
  const result = await build({
    entryPoints: [path],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { inputs: Object.keys(result.metafile.inputs), text: result.outputFiles[0]!.text };
}

describe('terminal bundles', () => {
  for (const own of ['stripe', 'square', 'adyen'] as const) {
    it(`kassa/payments/${own}-terminal carries no other provider's code and no Node built-in`, async () => {
      const { inputs, text } = await bundle(entries[own]);
      expect(inputs).toContain(entries[own]);
      const others = (['stripe', 'square', 'adyen'] as const).filter((p) => p !== own);
      expect(inputs.filter((i) => others.some((o) => i.startsWith(`src/payments/providers/${o}/`)))).toEqual(
        [],
      );
      expect(inputs.filter((i) => /src\/payments\/(session|store|reduce|recover)\.ts$/.test(i))).toEqual([]);
      for (const o of others) for (const word of markers[o]) expect(text).not.toContain(word);
      for (const word of markers[own].slice(0, 1)) expect(text).toContain(word);
      expect(text).not.toMatch(/from\s*["']node:|require\(["']node:/);
    });
  }

  it('kassa/payments carries no terminal adapter', async () => {
    const { inputs, text } = await bundle(entries.payments);
    expect(inputs.filter((i) => /providers\/(stripe|square|adyen)\/|proxy\//.test(i))).toEqual([]);
    for (const word of [...markers.stripe.slice(1), ...markers.square, ...markers.adyen])
      expect(text).not.toContain(word);
  });

  it('the proxy runs without Node built-ins', async () => {
    const { text } = await bundle(entries.proxy);
    expect(text).not.toMatch(/from\s*["']node:|require\(["']node:/);
  });
});
