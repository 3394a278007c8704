import type { CodepageName } from './codepages.js';
import type { Symbology } from './document.js';

/**
 * What one printer model can do, as data. Profiles are plain objects: copy one and change
 * a field for a printer kassa does not list.
 */
export interface PrinterProfile {
  id: string;
  name: string;
  /** Dots per line the print head covers (576 on 80 mm at 203 dpi, 384 on 58 mm). */
  dots: number;
  /** Columns per line for each font (font A is the one kassa prints with). */
  fonts: { A: number; B?: number };
  /**
   * The codepages the printer has and the number `ESC t n` selects each with, in order of
   * preference: text uses the first one that has a character, then transliteration.
   */
  codepages: readonly { name: CodepageName; id: number }[];
  /** Symbologies `GS k` draws; others print as their value in text. */
  barcodes: readonly Symbology[];
  /** `GS ( k` QR codes; without it the QR data prints as text. */
  qr: boolean;
  /** An auto cutter (`GS V`). */
  cutter: boolean;
  /** A drawer kick-out connector (`ESC p`). */
  drawer: boolean;
  /** The printer's command language; default `'esc-pos'`. Star printers in native mode speak `'star-prnt'`. */
  language?: 'esc-pos' | 'star-prnt';
  /**
   * The printer takes `GS ( D` (Epson TM-T20II and later, TM-T88V and later): real-time
   * commands are switched off at the start of each job, so barcode and image bytes that
   * happen to read as `DLE DC4` cannot pulse the drawer or power the printer off.
   */
  realtimeSwitch?: boolean;
}

const ALL_BARCODES: readonly Symbology[] = [
  'upca',
  'upce',
  'ean13',
  'ean8',
  'code39',
  'itf',
  'codabar',
  'code93',
  'code128',
];

// ESC t numbers of Epson's table; Star's ESC/POS emulation and most clones share them.
const EPSON_CODEPAGES = [
  { name: 'cp858', id: 19 },
  { name: 'cp437', id: 0 },
  { name: 'cp1252', id: 16 },
  { name: 'iso8859-15', id: 40 },
  { name: 'cp866', id: 17 },
] as const;

const LEGACY_CODEPAGES = [
  { name: 'cp858', id: 19 },
  { name: 'cp437', id: 0 },
  { name: 'cp1252', id: 16 },
  { name: 'cp866', id: 17 },
] as const;

/** Epson TM-T20II/III/IV: 80 mm, 203 dpi, 48 columns. */
export const epsonTmT20: PrinterProfile = {
  id: 'epson-tm-t20',
  name: 'Epson TM-T20',
  dots: 576,
  fonts: { A: 48, B: 64 },
  codepages: EPSON_CODEPAGES,
  barcodes: ALL_BARCODES,
  qr: true,
  cutter: true,
  drawer: true,
  realtimeSwitch: true,
};

/** Epson TM-T88V/VI/VII: 80 mm, 180 dpi, 42 columns. */
export const epsonTmT88: PrinterProfile = {
  id: 'epson-tm-t88',
  name: 'Epson TM-T88',
  dots: 512,
  fonts: { A: 42, B: 56 },
  codepages: EPSON_CODEPAGES,
  barcodes: ALL_BARCODES,
  qr: true,
  cutter: true,
  drawer: true,
  realtimeSwitch: true,
};

/** Star TSP143IV / mC-Print3 in ESC/POS emulation mode: 80 mm, 203 dpi, 48 columns, no ISO-8859-15. */
export const starEscPos: PrinterProfile = {
  id: 'star-escpos',
  name: 'Star (ESC/POS emulation)',
  dots: 576,
  fonts: { A: 48, B: 64 },
  codepages: LEGACY_CODEPAGES,
  barcodes: ALL_BARCODES,
  qr: true,
  cutter: true,
  drawer: true,
};

/** A generic 58 mm printer (the POS-5890 family): 384 dots, 32 columns, no cutter. */
export const generic58: PrinterProfile = {
  id: 'generic-58',
  name: 'Generic 58 mm',
  dots: 384,
  fonts: { A: 32, B: 42 },
  codepages: LEGACY_CODEPAGES,
  barcodes: ['upca', 'ean13', 'ean8', 'code39', 'itf', 'codabar', 'code93', 'code128'],
  qr: true,
  cutter: false,
  drawer: true,
};

/**
 * Star TSP100IV / TSP143IV and mC-Print3 in their native StarPRNT mode: 80 mm, 203 dpi, 48
 * columns. Codepage numbers are Star's own (`ESC GS t`). Encode with `toStarPrnt`.
 */
export const starTsp100: PrinterProfile = {
  id: 'star-tsp100',
  name: 'Star TSP100 (StarPRNT)',
  dots: 576,
  fonts: { A: 48, B: 64 },
  codepages: [
    { name: 'cp858', id: 4 },
    { name: 'cp437', id: 1 },
    { name: 'cp1252', id: 32 },
    { name: 'cp866', id: 10 },
  ],
  barcodes: ALL_BARCODES,
  qr: true,
  cutter: true,
  drawer: true,
  language: 'star-prnt',
};

/** The built-in profiles by id. */
export const printerProfiles: Readonly<Record<string, PrinterProfile>> = {
  [epsonTmT20.id]: epsonTmT20,
  [epsonTmT88.id]: epsonTmT88,
  [starEscPos.id]: starEscPos,
  [generic58.id]: generic58,
  [starTsp100.id]: starTsp100,
};
