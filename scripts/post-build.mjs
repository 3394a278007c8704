// Runs after tsup (`npm run build`).
//
// 1. The ESM build is one file per source module (tsup.config.ts), so an entry such as
//    `devices` lives in dist/devices/index.js; package.json `exports` names dist/<entry>.js,
//    which is written here as a one-line re-export.
// 2. The declarations are built once, for CommonJS (dist/*.d.cts); the ESM ones
//    (dist/*.d.ts) are the same text importing `.js` instead of `.cjs` (a second declaration
//    build would double the build time for the same output).
// 3. kassa/devices types its browser APIs (HIDDevice, SerialPort, USBDevice) with
//    @types/w3c-web-hid, -serial and -usb, optional peer dependencies. The bundled
//    declarations must name them, so that an app that installed them type-checks without
//    listing them in its `types` (TypeScript 5.9's `tsc --init` writes `"types": []`); the
//    declaration bundler drops `/// <reference types>` directives written in the source, so
//    they are added here.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { entries } from '../tsup.config.ts';

for (const [name, source] of Object.entries(entries)) {
  const module = source.replace(/^src\//, '').replace(/\.ts$/, '.js');
  if (module === `${name}.js`) continue;
  if (!existsSync(`dist/${module}`)) throw new Error(`post-build: dist/${module} was not built`);
  writeFileSync(`dist/${name}.js`, `export * from './${module}';\n`);
}

for (const file of readdirSync('dist').filter((f) => f.endsWith('.d.cts'))) {
  const text = readFileSync(`dist/${file}`, 'utf8');
  writeFileSync(
    `dist/${file.replace(/\.d\.cts$/, '.d.ts')}`,
    text.replace(/((?:from|import) '\.\/[^']+)\.cjs'/g, "$1.js'"),
  );
}

const references = ['w3c-web-hid', 'w3c-web-serial', 'w3c-web-usb']
  .map((name) => `/// <reference types="${name}" />\n`)
  .join('');
for (const file of ['dist/devices.d.ts', 'dist/devices.d.cts']) {
  const text = readFileSync(file, 'utf8');
  if (!text.startsWith(references)) writeFileSync(file, references + text);
}
