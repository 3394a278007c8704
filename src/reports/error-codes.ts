/** Error codes of the reports module (`kassa/reports`). */
export type ReportErrorCode =
  | 'validation.unknown_field'
  | 'reports.invalid_settlement'
  | 'reports.invalid_csv';
