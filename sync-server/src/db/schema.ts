// Kysely table types for the server database.
export interface MetaTable {
  key: string
  value: string
}

export interface Database {
  meta: MetaTable
}
