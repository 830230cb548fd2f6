/**
 * Column options shared by entities. Timestamps are `datetime(6)` on both databases (SQLite keeps
 * the text); the schema-parity test checks entities and migrations agree on MySQL and SQLite.
 */
export const timestampColumn = { type: 'datetime', precision: 6 } as const;
export const idColumn = { type: 'varchar', length: 36 } as const;
export const divisionCodeColumn = { type: 'varchar', length: 12 } as const;
