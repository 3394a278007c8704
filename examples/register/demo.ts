/**
 * The kassa demo: a whole sale at a till, end to end, on the console.
 * Run it with `npm run demo`.
 */
import { createCart, createMemoryCatalog } from '../../src/index.js';
import { sampleProducts, sampleRules } from '../catalog.js';
import { printCart } from './print-cart.js';

function main(): void {
  const catalog = createMemoryCatalog(sampleProducts);
  const cart = createCart({ currency: 'EUR', pricesIncludeTax: true, rules: sampleRules, catalog });

  console.log('kassa demo: a sale at a Dutch grocery till (prices include VAT, cash rounds to 0.05)\n');
  console.log('Scanning the basket...');
  cart.add({ sku: '8712345000011' }); // coffee beans
  cart.add({ sku: '8712345000028' }); // oat milk
  cart.add({ sku: '8712345000028' }); // a second oat milk: the line becomes 2 x
  const croissants = cart.add({ sku: '8712345000035', quantity: 4 });
  cart.add({ sku: 'apples-kg', quantity: '0.375' }); // weighed: 0.375 kg
  cart.add({ sku: '8712345000059' }); // wine, standard rate
  cart.add({ sku: '8712345000066', quantity: 2 }); // cola with a bottle deposit
  cart.applyDiscount(
    { id: 'day-old', kind: 'percent', value: '25', reason: 'Day-old bakery -25%' },
    { lineId: croissants },
  );

  console.log(printCart(cart.snapshot()));
}

main();
