/** Error codes of the journal module (`kassa/journal`). */
export type JournalErrorCode =
  | 'validation.unknown_field'
  | 'journal.invalid_entry'
  | 'journal.unknown_type'
  | 'journal.tampered'
  | 'journal.storage_failed'
  | 'journal.closed'
  | 'journal.register_mismatch'
  | 'journal.unsupported_version'
  | 'journal.sync_failed'
  | 'journal.unauthorized';
