export { allocate } from './allocate.js';
export { CASH_ROUNDING_DEFAULTS, type CashRounding, cashRoundingFor } from './cash.js';
export { type CurrencyCode, currencyCodes, isCurrency, minorUnits } from './currencies.js';
export { Decimal, type DecimalLike } from './decimal.js';
export { type FormatOptions, format } from './format.js';
export {
  add,
  compare,
  equals,
  fromMinorUnits,
  isNegative,
  isZero,
  MAX_AMOUNT_DECIMALS,
  type Money,
  money,
  multiply,
  negate,
  parseAmount,
  type RoundOptions,
  round,
  subtract,
  sum,
  toDecimalString,
  toJSON,
  toMinorUnits,
  zero,
} from './money.js';
export { ROUNDING_MODES, type RoundingMode } from './rounding.js';
