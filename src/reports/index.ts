/**
 * kassa/reports: X and Z reports and sales analytics as pure functions over journal entries,
 * each as plain data, CSV and a receipt document for the till's printer.
 * @packageDocumentation
 */
export { hourWeekdayHeatmap, type SalesGrouping, type SalesRow, salesBy, topSellers } from './analytics.js';
export { businessDate, localParts, type ShopCalendar } from './business-day.js';
export type { ReportErrorCode } from './error-codes.js';
export {
  type ShiftReport,
  type ShiftReportOptions,
  shiftReportCsv,
  shiftReportDocument,
  type TaxRateFigures,
  xReport,
  zReport,
} from './z-report.js';
