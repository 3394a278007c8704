// Runs after tsup (`npm run build`). kassa/devices types its browser APIs (HIDDevice,
// SerialPort, USBDevice) with @types/w3c-web-hid, -serial and -usb, optional peer
// dependencies. The bundled declarations must name them, so that an app that installed them
// type-checks without listing them in its `types` (TypeScript 5.9's `tsc --init` writes
// `"types": []`); the declaration bundler drops `/// <reference types>` directives written in
// the source, so they are added here.
import { readFileSync, writeFileSync } from 'node:fs';

const references = ['w3c-web-hid', 'w3c-web-serial', 'w3c-web-usb']
  .map((name) => `/// <reference types="${name}" />\n`)
  .join('');
for (const file of ['dist/devices.d.ts', 'dist/devices.d.cts']) {
  const text = readFileSync(file, 'utf8');
  if (!text.startsWith(references)) writeFileSync(file, references + text);
}
