/**
 * A scripted day at a till, on `createCheckout`: open a shift, sell (a weighed item, a
 * promotion, a loyalty customer, a split tender), park and recall a sale, take a return, count
 * the drawer and close the shift. The hardware is simulated with in-memory transports; the
 * checkout, cart, payments, journal and receipts are the real library.
 */
import { priceListsFeature, promotionsFeature } from '../../src/cart/promotions/index.js';
import { createCheckout } from '../../src/checkout/index.js';
import { createManualClock } from '../../src/clock.js';
import { loyaltyFeature } from '../../src/customers/index.js';
import {
  createCashDrawer,
  createMemoryTransport,
  createPoleDisplay,
  createPrinter,
  createSerialScanner,
  priceCheckDigit,
  withCheckDigit,
} from '../../src/devices/index.js';
import { createMemoryCatalog } from '../../src/index.js';
import { createMemoryStorage, type Journal, openJournal } from '../../src/journal/index.js';
import {
  createCashProvider,
  createMemoryPaymentStore,
  createSimulatedTerminal,
} from '../../src/payments/index.js';
import { sampleProducts, sampleRules } from '../catalog.js';
import { demoPromotions } from './promotions.js';
import { renderDemoReceipt } from './receipts.js';

/** What the day produced, for the console and for the example's test. */
export interface DayResult {
  readonly journal: Journal;
  readonly log: string[];
  readonly receipts: {
    readonly number: string;
    readonly text: string;
    readonly escpos: Uint8Array;
    readonly svg: string;
  }[];
  readonly close: { expected: string; counted: string; difference: string };
  readonly printerBytes: number;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Plays the day. `say` receives one line per step (the demo prints them). */
export async function playDay(say: (line: string) => void = () => undefined): Promise<DayResult> {
  const log: string[] = [];
  const note = (line: string) => {
    log.push(line);
    say(line);
  };
  const clock = createManualClock(Date.UTC(2026, 11, 3, 8, 0));

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

  const promo = demoPromotions();
  const journal = await openJournal({
    register: 'till-1',
    storage: createMemoryStorage(),
    clock,
    timeZone: 'Europe/Amsterdam',
  });
  const receipts: DayResult['receipts'] = [];
  let n = 0;
  const checkout = createCheckout({
    register: 'till-1',
    operator: { id: 'anna', name: 'Anna' },
    currency: 'EUR',
    catalog: createMemoryCatalog(sampleProducts),
    rules: { ...sampleRules, ...promo.rules },
    pricesIncludeTax: true,
    features: { promotions: promotionsFeature, priceLists: priceListsFeature, loyalty: loyaltyFeature },
    providers: [createCashProvider(), createSimulatedTerminal({ id: 'terminal-1' })],
    paymentStore: createMemoryPaymentStore(),
    journal,
    clock,
    newSaleId: () => `sale-2026-12-03-${String(++n).padStart(3, '0')}`,
    barcodes: { variableMeasure: 'NL' },
    devices: { scanner, printer, drawer, display },
    receipt: (sale) => {
      const receipt = renderDemoReceipt({
        cart: sale.cart,
        tenders: sale.tenders.map((t) => ({
          method: t.method,
          amount: t.amount,
          ...(t.change ? { change: t.change } : {}),
          ...(t.card?.brand ? { brand: t.card.brand } : {}),
          ...(t.card?.last4 ? { last4: t.card.last4 } : {}),
          ...(t.authCode ? { authCode: t.authCode } : {}),
        })),
        receiptNumber: sale.receiptNumber,
        time: sale.entry.at,
      });
      receipts.push({
        number: sale.receiptNumber,
        text: receipt.text,
        escpos: receipt.escpos,
        svg: receipt.svg,
      });
      return receipt.escpos;
    },
    cashTolerance: '0.50',
  });
  checkout.events$.subscribe((e) => {
    if (e.type === 'scan_rejected') note(`  scan ${e.data} refused: ${e.error.message}`);
  });
  const scanned = () => Number(checkout.snapshot().cart.totals.itemCount);
  /** Sends the codes down the serial line and waits until the checkout has taken every one. */
  const scan = async (...codes: string[]) => {
    const before = checkout.snapshot().state === 'open' ? scanned() : 0;
    for (const code of codes) scannerLink.device.send(`]E0${code}\r`);
    for (let i = 0; i < 200 && scanned() - before < codes.length; i++) await wait(5);
  };
  const total = () => checkout.snapshot().cart.totals;

  await checkout.openShift('150.00');
  note('08:00 shift opened with a float of 150.00');

  // Sale 1: coffee, a weighed Gouda (its weight is in the label), wine with a damaged label, a
  // loyalty customer; split over cash and the card terminal.
  clock.set(Date.UTC(2026, 11, 3, 8, 12));
  await scan('8712345000011', withCheckDigit(`281234${priceCheckDigit('00375')}00375`), '8712345000059');
  const wine = checkout.snapshot().cart.lines.find((l) => l.sku === 'red-wine')!.id;
  checkout.applyDiscount(
    { id: 'label', kind: 'percent', value: '10', reason: 'Damaged label' },
    { lineId: wine },
  );
  checkout.setCustomer(promo.customer);
  note(
    `08:12 sale 1: ${checkout.snapshot().cart.lines.length} lines, total ${total().total} (cash ${total().cashTotal})`,
  );
  await checkout.pay({ provider: 'cash', amount: '10.00' });
  const card = await checkout.pay({ provider: 'terminal-1', amount: checkout.snapshot().payment!.due });
  const sale1 = await checkout.complete();
  note(`        paid 10.00 cash + ${card.amount} card, receipt ${sale1.receiptNumber}`);

  // Sale 2: three drinks for the mix-and-match promotion; the customer forgot their wallet: parked.
  clock.set(Date.UTC(2026, 11, 3, 9, 30));
  await scan('8712345000028', '8712345000028', '8712345000066');
  const parkedId = await checkout.park('forgot wallet');
  note(`09:30 sale 2 parked (${parkedId}), total ${checkout.snapshot().cart.totals.total}`);

  // Sale 3 in between: croissants, paid in cash with change.
  clock.set(Date.UTC(2026, 11, 3, 9, 35));
  await scan('8712345000035', '8712345000035', '8712345000035', '8712345000035');
  const sale3Total = total().cashTotal;
  const tender3 = await checkout.pay({ provider: 'cash', amount: '10.00' });
  const sale3 = await checkout.complete();
  note(
    `09:35 sale 3: ${sale3Total} in cash, 10.00 handed over, change ${tender3.change}, receipt ${sale3.receiptNumber}`,
  );

  // The parked sale comes back and is paid by card.
  clock.set(Date.UTC(2026, 11, 3, 9, 50));
  await checkout.recall(parkedId);
  const promotion = checkout
    .snapshot()
    .cart.appliedPromotions.map((p) => p.label)
    .join(', ');
  await checkout.pay({ provider: 'terminal-1', amount: total().total });
  const sale2 = await checkout.complete();
  note(
    `09:50 sale 2 recalled and paid by card, ${total().total} (${promotion || 'no promotion'}), receipt ${sale2.receiptNumber}`,
  );

  // A return: one croissant of sale 3, found by the receipt's barcode.
  clock.set(Date.UTC(2026, 11, 3, 11, 5));
  const croissantLine = sale3.cart.lines.find((l) => l.sku === 'croissant')!.id;
  const back = await checkout.returnSale(sale3.receiptNumber, [{ lineId: croissantLine, quantity: '1' }], {
    reason: 'stale',
  });
  note(
    `11:05 return of 1 croissant from ${sale3.receiptNumber}: ${back.cart.totals.total} to ${back.refunds.map((r) => r.method).join(', ')}`,
  );

  // Cash movements and a no-sale.
  await checkout.cashOut('100.00', 'safe drop');
  await checkout.noSale('change for the market stall');
  note('12:00 100.00 to the safe; drawer opened for change (no-sale)');

  // End of day: count the drawer.
  clock.set(Date.UTC(2026, 11, 3, 18, 0));
  const expected = await checkout.expectedCash();
  const close = await checkout.closeShift({ counted: (Number(expected) - 0.2).toFixed(2) });
  note(
    `18:00 shift closed: expected ${close.expected}, counted ${close.counted}, difference ${close.difference}`,
  );

  const verified = await journal.verify();
  note(`journal: ${journal.head().seq} entries, chain ${verified.ok ? 'verifies' : 'BROKEN'}`);
  checkout.dispose();
  scanner.dispose();
  const printerBytes = printerLink.device.writtenBytes().length;
  await Promise.all([
    scannerLink.transport.close(),
    printerLink.transport.close(),
    displayLink.transport.close(),
  ]);
  return { journal, log, receipts, close, printerBytes };
}
