/**
 * A self-service kiosk page: plain TypeScript and the DOM, no framework. It scans with a WebHID
 * scanner when the browser has one granted (HID POS mode), and always offers on-screen buttons;
 * it pays on the simulated card terminal, shows the cart on a customer display and previews the
 * receipt as SVG. Everything else is the real library: the checkout, the cart, the journal (in
 * memory here; IndexedDB on a real kiosk), the payment session and the receipt renderer.
 */
import { createCheckout } from '../../src/checkout/index.js';
import { createHidPosScanner, createWebHidTransport, switchToHidPos } from '../../src/devices/index.js';
import { createMemoryCatalog, format, money } from '../../src/index.js';
import { createMemoryStorage, openJournal } from '../../src/journal/index.js';
import { createMemoryPaymentStore, createSimulatedTerminal } from '../../src/payments/index.js';
import { buildReceipt, toSvg } from '../../src/receipts/index.js';
import { sampleProducts, sampleRules } from '../catalog.js';

const eur = (amount: string) => format(money(amount, 'EUR'), 'nl-NL');

/** Starts the kiosk in `root`; resolves once it takes scans. */
export async function startKiosk(root: HTMLElement): Promise<void> {
  root.innerHTML = `
    <main class="kiosk">
      <section class="display" aria-label="Customer display"><ol id="lines"></ol><p id="total">${eur('0')}</p></section>
      <section class="buttons" id="products" aria-label="Products"></section>
      <p id="scanner-status">Scanner: on-screen</p>
      <p id="message" role="status"></p>
      <button id="pay" disabled>Pay by card</button>
      <section id="receipt" aria-label="Receipt"></section>
    </main>`;
  const $ = (id: string) => root.querySelector(`#${id}`) as HTMLElement;
  const catalog = createMemoryCatalog(sampleProducts);
  const journal = await openJournal({
    register: 'kiosk-1',
    storage: createMemoryStorage(),
    timeZone: 'Europe/Amsterdam',
  });
  const terminal = createSimulatedTerminal({ id: 'terminal' });
  const checkout = createCheckout({
    register: 'kiosk-1',
    operator: { id: 'self-service' },
    currency: 'EUR',
    catalog,
    rules: sampleRules,
    pricesIncludeTax: true,
    providers: [terminal],
    paymentStore: createMemoryPaymentStore(),
    journal,
    barcodes: { variableMeasure: 'NL' },
  });
  await checkout.openShift('0.00');

  checkout.state$.subscribe((s) => {
    $('lines').innerHTML = s.cart.lines
      .map((l) => `<li>${l.quantity} × ${l.name ?? l.sku} <span>${eur(l.total)}</span></li>`)
      .join('');
    // Card only: the cash rounding never applies here.
    $('total').textContent = eur(s.cart.totals.total);
    ($('pay') as HTMLButtonElement).disabled = s.cart.lines.length === 0 || s.state === 'completed';
  });
  checkout.events$.subscribe((e) => {
    if (e.type === 'scan_rejected') $('message').textContent = `Not found: ${e.data}`;
  });

  for (const product of sampleProducts.filter((p) => p.gtins?.length && p.unit !== 'kg')) {
    const button = document.createElement('button');
    button.textContent = product.name ?? product.sku;
    button.dataset.gtin = product.gtins![0];
    button.addEventListener('click', () => checkout.scan(product.gtins![0]!));
    $('products').append(button);
  }

  $('pay').addEventListener('click', async () => {
    try {
      await checkout.pay({ provider: 'terminal', amount: checkout.snapshot().cart.totals.total });
      const sale = await checkout.complete();
      const doc = buildReceipt(
        {
          cart: sale.cart,
          tenders: sale.tenders.map((t) => ({
            method: t.method,
            amount: t.amount,
            ...(t.card?.brand ? { brand: t.card.brand } : {}),
            ...(t.card?.last4 ? { last4: t.card.last4 } : {}),
          })),
          store: { name: 'kassa kiosk' },
          receiptNumber: sale.receiptNumber,
          time: sale.entry.at,
        },
        undefined,
        { locale: 'nl-NL', timeZone: 'Europe/Amsterdam' },
      );
      $('receipt').innerHTML = toSvg(doc);
      $('message').textContent = 'Thank you!';
    } catch (error) {
      $('message').textContent = (error as Error).message;
    }
  });

  // A scanner the user granted before (navigator.hid.requestDevice needs a click; the
  // kiosk's set-up screen does that once) is picked up again at every start.
  const hid = (navigator as Navigator & { hid?: HID }).hid;
  const [device] = hid ? await hid.getDevices() : [];
  if (device) {
    const transport = createWebHidTransport({ device, onOpen: switchToHidPos });
    const scanner = createHidPosScanner({ transport, id: 'hid-scanner' });
    scanner.scans$.subscribe((scan) => {
      try {
        checkout.scan(scan.data, scan.symbology ? { symbology: scan.symbology } : {});
        $('message').textContent = '';
      } catch {
        $('message').textContent = `Not found: ${scan.data}`;
      }
    });
    await transport.open();
    $('scanner-status').textContent = `Scanner: ${device.productName || 'HID'}`;
  }
}
