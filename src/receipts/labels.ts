/** Every text the default template prints, so a shop can reword or translate it. */
export interface ReceiptLabels {
  vatNumber: string;
  receiptNumber: string;
  cashier: string;
  register: string;
  subtotal: string;
  discount: string;
  tax: string;
  total: string;
  rounding: string;
  cashTotal: string;
  taxRate: string;
  net: string;
  gross: string;
  items: string;
  change: string;
  tip: string;
  authCode: string;
  priceOverride: string;
  pointsEarned: string;
  pointsBalance: string;
  member: string;
  copy: string;
  returnReceipt: string;
  originalReceipt: string;
  refund: string;
  thanks: string;
  /** Tender methods, by the method's id. */
  methods: Record<string, string>;
  /** Card entry modes, by id. */
  entryModes: Record<string, string>;
}

const en: ReceiptLabels = {
  vatNumber: 'VAT no.',
  receiptNumber: 'Receipt',
  cashier: 'Cashier',
  register: 'Register',
  subtotal: 'Subtotal',
  discount: 'Discount',
  tax: 'Tax',
  total: 'TOTAL',
  rounding: 'Rounding',
  cashTotal: 'Total cash',
  taxRate: 'Tax',
  net: 'Net',
  gross: 'Gross',
  items: 'Items',
  change: 'Change',
  tip: 'Tip',
  authCode: 'Auth code',
  priceOverride: 'Price changed',
  pointsEarned: 'Points earned',
  pointsBalance: 'Points balance',
  member: 'Member',
  copy: 'COPY',
  returnReceipt: 'RETURN',
  originalReceipt: 'Original receipt',
  refund: 'Refund',
  thanks: 'Thank you for your visit!',
  methods: {
    cash: 'Cash',
    card: 'Card',
    gift_card: 'Gift card',
    voucher: 'Voucher',
    mobile: 'Mobile',
    external: 'Other',
    other: 'Other',
  },
  entryModes: {
    contactless: 'Contactless',
    chip: 'Chip',
    swipe: 'Swipe',
    manual: 'Manual',
    wallet: 'Wallet',
  },
};

const nl: ReceiptLabels = {
  vatNumber: 'Btw-nr.',
  receiptNumber: 'Bon',
  cashier: 'Kassier',
  register: 'Kassa',
  subtotal: 'Subtotaal',
  discount: 'Korting',
  tax: 'Btw',
  total: 'TOTAAL',
  rounding: 'Afronding',
  cashTotal: 'Totaal contant',
  taxRate: 'Btw',
  net: 'Excl.',
  gross: 'Incl.',
  items: 'Artikelen',
  change: 'Wisselgeld',
  tip: 'Fooi',
  authCode: 'Autorisatie',
  priceOverride: 'Prijs gewijzigd',
  pointsEarned: 'Gespaarde punten',
  pointsBalance: 'Puntensaldo',
  member: 'Klant',
  copy: 'KOPIE',
  returnReceipt: 'RETOUR',
  originalReceipt: 'Oorspronkelijke bon',
  refund: 'Terugbetaling',
  thanks: 'Bedankt voor uw bezoek!',
  methods: {
    cash: 'Contant',
    card: 'Pin',
    gift_card: 'Cadeaukaart',
    voucher: 'Waardebon',
    mobile: 'Mobiel',
    external: 'Overig',
    other: 'Overig',
  },
  entryModes: {
    contactless: 'Contactloos',
    chip: 'Chip',
    swipe: 'Magneetstrip',
    manual: 'Handmatig',
    wallet: 'Mobiel',
  },
};

const de: ReceiptLabels = {
  vatNumber: 'USt-IdNr.',
  receiptNumber: 'Beleg',
  cashier: 'Kassierer',
  register: 'Kasse',
  subtotal: 'Zwischensumme',
  discount: 'Rabatt',
  tax: 'MwSt.',
  total: 'SUMME',
  rounding: 'Rundung',
  cashTotal: 'Summe bar',
  taxRate: 'MwSt.',
  net: 'Netto',
  gross: 'Brutto',
  items: 'Artikel',
  change: 'Rückgeld',
  tip: 'Trinkgeld',
  authCode: 'Genehmigung',
  priceOverride: 'Preis geändert',
  pointsEarned: 'Gesammelte Punkte',
  pointsBalance: 'Punktestand',
  member: 'Kunde',
  copy: 'KOPIE',
  returnReceipt: 'RÜCKGABE',
  originalReceipt: 'Ursprünglicher Beleg',
  refund: 'Erstattung',
  thanks: 'Vielen Dank für Ihren Einkauf!',
  methods: {
    cash: 'Bar',
    card: 'Karte',
    gift_card: 'Geschenkkarte',
    voucher: 'Gutschein',
    mobile: 'Mobil',
    external: 'Sonstige',
    other: 'Sonstige',
  },
  entryModes: {
    contactless: 'Kontaktlos',
    chip: 'Chip',
    swipe: 'Magnetstreifen',
    manual: 'Manuell',
    wallet: 'Mobil',
  },
};

const fr: ReceiptLabels = {
  vatNumber: 'N° TVA',
  receiptNumber: 'Ticket',
  cashier: 'Caissier',
  register: 'Caisse',
  subtotal: 'Sous-total',
  discount: 'Remise',
  tax: 'TVA',
  total: 'TOTAL',
  rounding: 'Arrondi',
  cashTotal: 'Total espèces',
  taxRate: 'TVA',
  net: 'HT',
  gross: 'TTC',
  items: 'Articles',
  change: 'Rendu',
  tip: 'Pourboire',
  authCode: 'Autorisation',
  priceOverride: 'Prix modifié',
  pointsEarned: 'Points gagnés',
  pointsBalance: 'Solde de points',
  member: 'Client',
  copy: 'DUPLICATA',
  returnReceipt: 'RETOUR',
  originalReceipt: 'Ticket d’origine',
  refund: 'Remboursement',
  thanks: 'Merci de votre visite !',
  methods: {
    cash: 'Espèces',
    card: 'Carte',
    gift_card: 'Carte cadeau',
    voucher: 'Bon d’achat',
    mobile: 'Mobile',
    external: 'Autre',
    other: 'Autre',
  },
  entryModes: {
    contactless: 'Sans contact',
    chip: 'Puce',
    swipe: 'Piste',
    manual: 'Manuel',
    wallet: 'Mobile',
  },
};

/** The built-in translations of the default template, by language. */
export const receiptLabels: Readonly<Record<'en' | 'nl' | 'de' | 'fr', ReceiptLabels>> = { en, nl, de, fr };

/** The labels for a BCP 47 locale (`'nl-BE'` uses `nl`), English when the language is not built in. */
export function labelsFor(locale: string): ReceiptLabels {
  const lang = locale.toLowerCase().split(/[-_]/)[0] ?? 'en';
  return (receiptLabels as Record<string, ReceiptLabels>)[lang] ?? en;
}
