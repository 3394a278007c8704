import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * The core entry must stay free of device drivers, payment providers, receipt renderers and
 * Node built-ins: a storefront that imports the cart must not ship them. The budget itself
 * is checked on the built package by `npm run size`; this test checks what gets in.
 */
describe('core bundle', () => {
  it('contains no device, payment, receipt or Node code', async () => {
    const result = await build({
      stdin: {
        contents: "export { priceCart, createCart, money, format, allocate } from './src/index.ts';",
        resolveDir: process.cwd(),
        loader: 'ts',
      },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((path) => path.startsWith('src/cart/'))).toBe(true);
    const leaked = inputs.filter((path) =>
      /^src\/(devices|payments|receipts|customers|journal|inventory|reports)\//.test(path),
    );
    expect(leaked).toEqual([]);
    const text = result.outputFiles[0]!.text;
    expect(text).not.toMatch(/from\s*["']node:|require\(["']node:/);
    for (const word of [
      'serialport',
      'requestDevice',
      'navigator.hid',
      'navigator.serial',
      'navigator.usb',
    ]) {
      expect(text).not.toContain(word);
    }
  });
});
