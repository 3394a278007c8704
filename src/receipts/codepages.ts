/**
 * Single-byte codepages thermal printers offer, as their upper halves (bytes 0x80-0xFF);
 * the lower half is ASCII in all of them. `\u0000` marks a byte with no printable
 * character (C1 controls, undefined slots). Generated from the codepage definitions and
 * checked against iconv-lite and TextDecoder in the tests.
 */
const UPPER_HALVES = {
  cp437:
    'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0',
  cp858:
    'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈ€ÍÎÏ┘┌█▄¦Ì▀ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u00ad±‗¾¶§÷¸°¨·¹³²■\u00a0',
  cp1252:
    '€\u0000‚ƒ„…†‡ˆ‰Š‹Œ\u0000Ž\u0000\u0000‘’“”•–—˜™š›œ\u0000žŸ\u00a0¡¢£¤¥¦§¨©ª«¬\u00ad®¯°±²³´µ¶·¸¹º»¼½¾¿ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ',
  'iso8859-15':
    '\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u00a0¡¢£€¥Š§š©ª«¬\u00ad®¯°±²³Žµ¶·ž¹º»ŒœŸ¿ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ',
  cp866:
    'АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмноп░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀рстуфхцчшщъыьэюяЁёЄєЇїЎў°∙·√№¤■\u00a0',
} as const;

/** A codepage kassa can encode text in. */
export type CodepageName = keyof typeof UPPER_HALVES;

/** The names of the codepages kassa knows. */
export const CODEPAGE_NAMES = Object.keys(UPPER_HALVES) as readonly CodepageName[];

const encodeTables = new Map<CodepageName, Map<number, number>>();
const decodeTables = new Map<CodepageName, string>();

/**
 * The lookup from Unicode code point to byte for one codepage. Built once on first use and
 * cached, so encoding is a map lookup per character instead of a table scan.
 * @internal
 */
export function encodeTable(name: CodepageName): Map<number, number> {
  let table = encodeTables.get(name);
  if (!table) {
    table = new Map();
    const upper = UPPER_HALVES[name];
    for (let i = 0; i < 128; i++) {
      const code = upper.charCodeAt(i);
      if (code !== 0 && !table.has(code)) table.set(code, 0x80 + i);
    }
    encodeTables.set(name, table);
  }
  return table;
}

/**
 * The 256 characters of a codepage, byte-indexed (`\u0000` where the byte prints nothing).
 * @internal
 */
export function decodeTable(name: CodepageName): string {
  let table = decodeTables.get(name);
  if (table === undefined) {
    let lower = '';
    for (let i = 0; i < 128; i++) lower += i < 0x20 || i === 0x7f ? '\u0000' : String.fromCharCode(i);
    table = lower + UPPER_HALVES[name];
    decodeTables.set(name, table);
  }
  return table;
}

/** Characters whose nearest printable form is not found by dropping accents. */
const FALLBACKS: Readonly<Record<string, string>> = {
  '\u00a0': ' ',
  '\u2007': ' ',
  '\u2009': ' ',
  '\u202f': ' ',
  '\u200b': '',
  '\u00ad': '',
  '€': 'EUR',
  '£': 'GBP',
  '‘': "'",
  '’': "'",
  '‚': ',',
  '“': '"',
  '”': '"',
  '„': '"',
  '«': '"',
  '»': '"',
  '‹': '<',
  '›': '>',
  '–': '-',
  '—': '-',
  '−': '-',
  '‐': '-',
  '‑': '-',
  '‒': '-',
  '―': '-',
  '─': '-',
  '━': '-',
  '═': '=',
  '₽': 'RUB',
  '₹': 'INR',
  '₩': 'KRW',
  '₺': 'TRY',
  '₴': 'UAH',
  '₪': 'ILS',
  '₫': 'VND',
  '₱': 'PHP',
  '₦': 'NGN',
  '₸': 'KZT',
  '₾': 'GEL',
  '₼': 'AZN',
  '฿': 'THB',
  '₡': 'CRC',
  '₲': 'PYG',
  '₵': 'GHS',
  '₭': 'LAK',
  '₮': 'MNT',
  '₨': 'Rs',
  '৳': 'BDT',
  '…': '...',
  '•': '*',
  '·': '.',
  '×': 'x',
  '÷': '/',
  '™': 'TM',
  '©': '(c)',
  '®': '(R)',
  '№': 'No',
  ß: 'ss',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ø: 'o',
  Ø: 'O',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  þ: 'th',
  Þ: 'Th',
  ı: 'i',
};

/**
 * The nearest ASCII spelling of a character a printer lacks: a few fixed spellings
 * (`€` as `EUR`, typographic quotes as straight ones), then the letter without its accents
 * (`ő` as `o`). Returns `undefined` when there is none (CJK, Cyrillic, emoji), so the caller
 * prints a visible replacement instead of a wrong letter.
 */
export function transliterate(char: string): string | undefined {
  const fixed = FALLBACKS[char];
  if (fixed !== undefined) return fixed;
  const stripped = char.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  return stripped !== char && /^[\x20-\x7e]+$/.test(stripped) ? stripped : undefined;
}
