/**
 * The kassa demo: a whole sale at a till, end to end, on the console.
 *   scan → cart (tax, discounts) → customer display → split payment (cash + card terminal)
 *   → receipt (text, ESC/POS, SVG, HTML) → printer and cash drawer
 * The hardware is simulated with in-memory transports; everything else is the real library.
 * Run it with `npm run demo`. Files go to `out/demo/`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { priceListsFeature, promotionsFeature } from '../../src/cart/promotions/index.js';
import { createMemoryLoyaltyLedger, loyaltyFeature } from '../../src/customers/index.js';
import {
  createCashDrawer,
  createMemoryTransport,
  createPoleDisplay,
  createPrinter,
  createSerialScanner,
  parseBarcode,
  priceCheckDigit,
  toAddCommand,
  withCheckDigit,
} from '../../src/devices/index.js';
import { createCart, createMemoryCatalog, format, money } from '../../src/index.js';
import {
  createCashProvider,
  createMemoryPaymentStore,
  createSimulatedTerminal,
  paymentSessionFromCart,
} from '../../src/payments/index.js';
import { sampleProducts, sampleRules } from '../catalog.js';
import { printCart } from './print-cart.js';
import { demoPromotions } from './promotions.js';
import { renderDemoReceipt } from './receipts.js';

const outDir = join(process.cwd(), 'out', 'demo');
const eur = (amount: string) => format(money(amount, 'EUR'), 'en-NL');
const step = (title: string) => console.log(`\n── ${title} ${'─'.repeat(Math.max(0, 58 - title.length))}`);

async function main(): Promise<void> {
  console.log('kassa demo: a sale at a Dutch grocery till (prices include VAT, cash rounds to 0.05)');

  // Hardware: in-memory transports stand in for the USB and serial cables.
  const scannerLink = createMemoryTransport({ label: 'serial scanner' });
  const printerLink = createMemoryTransport({ label: 'receipt printer' });
  const displayLink = createMemoryTransport({ label: 'pole display' });
  const scanner = createSerialScanner({ transport: scannerLink.transport, id: 'scanner-1' });
  const printer = createPrinter({ transport: printerLink.transport, asb: false });
  const drawer = createCashDrawer({ printer });
  const display = createPoleDisplay({ transport: displayLink.transport });
  await Promise.all([
    scannerLink.transport.open(),
    printerLink.transport.open(),
    displayLink.transport.open(),
  ]);
  step('Devices');
  console.log(
    'scanner   serial, CR suffix, AIM symbology ids   (WebHID, WebSerial, keyboard wedge work the same)',
  );
  console.log('printer   ESC/POS, Epson TM-T88 profile          (WebUSB, WebSerial, Node serial, TCP 9100)');
  console.log('drawer    kick pulse on pin 2 through the printer');
  console.log('display   2x20 pole display, Epson command set, follows the cart');

  // The cart, fed by the scanner.
  const catalog = createMemoryCatalog(sampleProducts);
  const promo = demoPromotions();
  const cart = createCart({
    currency: 'EUR',
    pricesIncludeTax: true,
    rules: { ...sampleRules, ...promo.rules },
    catalog,
    // Promotions, price lists and loyalty are features passed in as values: an app that does
    // not use them does not ship them.
    features: { promotions: promotionsFeature, priceLists: priceListsFeature, loyalty: loyaltyFeature },
  });
  const stopFollowing = display.follow(cart);
  const rejected: string[] = [];
  scanner.scans$.subscribe((scan) => {
    const parsed = parseBarcode(scan.data, { variableMeasure: 'NL', symbology: scan.symbology });
    const result = toAddCommand(parsed, catalog);
    if (result.ok) cart.add(result.command);
    else rejected.push(`${scan.data} (${result.error.code})`);
  });

  step('Scanning');
  // A scale label for 0.375 kg of Gouda: in-store prefix 28, item 1234, weight 00375.
  const goudaLabel = withCheckDigit(`281234${priceCheckDigit('00375')}00375`);
  const basket = [
    '8712345000011', // coffee beans
    '8712345000028', // oat milk
    '8712345000028', // oat milk again: the line becomes 2 x
    '8712345000035', // croissant
    '8712345000035',
    '8712345000035',
    '8712345000035',
    goudaLabel, // weighed cheese with its weight in the barcode
    '8712345000059', // wine, standard rate
    '8712345000066', // cola with a bottle deposit
    '8712345000067', // a misread: wrong check digit, never becomes a line
  ];
  for (const code of basket) scannerLink.device.send(`]E0${code}\r`);
  await new Promise((resolve) => setTimeout(resolve, 20));
  cart.add({ sku: 'apples-kg', quantity: '0.482' }); // from the scale, typed as a PLU
  const wine = cart.snapshot().lines.find((l) => l.sku === 'red-wine')!.id;
  cart.applyDiscount(
    { id: 'label', kind: 'percent', value: '10', reason: 'Damaged label -10%' },
    { lineId: wine },
  );
  cart.setCustomer(promo.customer); // a loyalty card scanned: club prices and points
  console.log(
    `${basket.length} scans, ${cart.snapshot().lines.length} lines; rejected: ${rejected.join(', ') || 'none'}`,
  );
  console.log(printCart(cart.snapshot()));
  const priced = cart.snapshot();
  await new Promise((resolve) => setTimeout(resolve, 10));
  const [top, bottom] = display.shown();
  console.log(`customer display (${displayLink.device.writtenBytes().length} bytes sent):`);
  console.log(
    `  ┌────────────────────┐\n  │${top!.padEnd(20)}│\n  │${bottom!.padEnd(20)}│\n  └────────────────────┘`,
  );

  // Payment: 20.00 in cash, the rest on the (simulated) card terminal.
  step('Payment');
  const cash = createCashProvider();
  const terminal = createSimulatedTerminal({ id: 'terminal-1' });
  cash.drawer$.subscribe(() => void drawer.open());
  // Total, currency and cash rounding come from the priced cart: one source for what is due.
  const session = await paymentSessionFromCart(priced, {
    saleId: 'sale-2026-000123',
    providers: [cash, terminal],
    store: createMemoryPaymentStore(),
  });
  session.events$.subscribe((event) => {
    if (event.type === 'progress') console.log(`  terminal: ${event.stage}`);
    if (event.type === 'drawer_open') console.log('  drawer: open');
  });
  await session.pay({ provider: 'cash', amount: '20.00' });
  console.log(`cash 20.00 taken; due ${eur(session.snapshot().due)}`);
  await session.pay({ provider: 'terminal-1', amount: session.snapshot().due });
  const paid = session.snapshot();
  for (const t of paid.tenders) {
    const card = t.card ? ` ${t.card.brand} **** ${t.card.last4}, auth ${t.authCode}` : '';
    console.log(`  ${t.method.padEnd(5)} ${eur(t.amount).padStart(9)}  ${t.status}${card}`);
  }
  console.log(`paid ${eur(paid.paid)}, due ${eur(paid.due)}, status ${paid.status}`);
  session.dispose();

  // Receipt: on screen, to the printer, and as files.
  step('Receipt');
  const loyalty = createMemoryLoyaltyLedger();
  if (priced.loyalty) {
    await loyalty.earn({
      customerId: promo.customer.id,
      saleId: 'sale-2026-000123',
      points: priced.loyalty.points,
    });
  }
  const balance = await loyalty.balance(promo.customer.id);
  const receipt = renderDemoReceipt({
    cart: priced,
    tenders: [...paid.tenders],
    loyalty: { memberId: promo.customer.id, balance: balance.points },
  });
  console.log(receipt.text);
  const job = await printer.print(receipt.escpos, { jobId: 'sale-2026-000123' });
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'receipt.escpos.bin'), receipt.escpos);
  writeFileSync(join(outDir, 'receipt.svg'), receipt.svg);
  writeFileSync(join(outDir, 'receipt.decoded.svg'), receipt.decodedSvg);
  writeFileSync(join(outDir, 'receipt.html'), receipt.html);
  console.log(`printer: job ${job.id} ${job.state}, ${receipt.escpos.length} bytes of ESC/POS`);
  console.log(`files: ${outDir}/receipt.{escpos.bin,svg,decoded.svg,html}`);

  stopFollowing();
  scanner.dispose();
  await Promise.all([
    scannerLink.transport.close(),
    printerLink.transport.close(),
    displayLink.transport.close(),
  ]);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
