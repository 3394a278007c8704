export { type AimDecoded, decodeAim, type Symbology, symbologyFromAim } from './aim.js';
export {
  type AddCommandResult,
  type BarcodeCatalog,
  type CartAddCommand,
  type CatalogItem,
  toAddCommand,
  type WeightLike,
} from './catalog.js';
export { gs1CheckDigit, hasValidGs1CheckDigit, mod11CheckChar, priceCheckDigit } from './check-digit.js';
export {
  GS,
  type Gs1Element,
  Gs1ParseError,
  type Gs1Reading,
  impliedDecimal,
  parseGs1ElementString,
  readGs1ElementString,
} from './gs1.js';
export {
  type BookNumber,
  bookNumber,
  expandUpcE,
  type GtinFormat,
  gtinFormat,
  gtinFormatOf,
  isValidGtin,
  normalizeGtin,
  withCheckDigit,
} from './gtin.js';
export {
  type BarcodeRules,
  type ParsedBarcode,
  type ParsedGs1,
  type ParsedGtin,
  type ParsedInvalid,
  type ParsedOther,
  type ParsedVariableMeasure,
  parseBarcode,
} from './parse.js';
export {
  decodeVariableMeasure,
  isRestrictedCirculation,
  type MeasureKind,
  VARIABLE_MEASURE_TABLES,
  type VariableMeasure,
  type VariableMeasureLayout,
  type VariableMeasureResult,
  type VariableMeasureTable,
} from './variable-measure.js';
