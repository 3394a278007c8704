/**
 * Detection of card data that must never enter kassa: primary account numbers (13 to 19
 * digits passing the Luhn check, with or without separators) and magnetic-stripe track data.
 * Every free-text field of the payments schemas runs through {@link containsCardData}, so a
 * provider that leaks a PAN into a decline message is refused at the boundary.
 */

function luhn(digits: string): boolean {
  let total = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    total += d;
    double = !double;
  }
  return total % 10 === 0;
}

// Track 1 starts with %B followed by the PAN and a caret; track 2 is ;PAN=YYMM...
const TRACK_DATA = /%B\d{6,19}\^|;\d{12,19}=\d{4}|\d{12,19}=\d{7,}/;

/** True when `text` holds something that looks like a card number or track data. */
export function containsCardData(text: string): boolean {
  if (TRACK_DATA.test(text)) return true;
  // Runs of digits with optional single spaces or dashes between them, as PANs are written.
  const runs = text.match(/\d(?:[ -]?\d){12,}/g);
  if (!runs) return false;
  for (const run of runs) {
    const digits = run.replace(/[ -]/g, '');
    // Any 13..19 digit window of a longer run may be the PAN. Payment card numbers start
    // with 2 to 6 (Mastercard, Amex, Visa, Discover, JCB, UnionPay...); requiring that keeps
    // provider references such as Adyen's 16-digit pspReference (starting 7 or 8) usable.
    for (let len = 13; len <= 19; len++) {
      for (let start = 0; start + len <= digits.length; start++) {
        const first = digits.charCodeAt(start) - 48;
        if (first >= 2 && first <= 6 && luhn(digits.slice(start, start + len))) return true;
      }
    }
  }
  return false;
}
