/** Error codes of the journal, inventory, customers and reports modules. */
export type OtherModuleErrorCode = 'journal.tampered';
