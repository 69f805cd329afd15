// Reading a store's replicated documents for the owner's remote view. A document that does not
// parse (another shape, a newer hub's version) is passed over rather than failing the page, and
// one carrying another store's id is never shown as this store's.

interface Schema<T> {
  safeParse(value: unknown): { success: boolean; data?: T };
}

/** The documents that parse as `schema`. */
export function parseAll<T>(docs: unknown[], schema: Schema<T>): T[] {
  return docs.flatMap((d) => {
    const p = schema.safeParse(d);
    return p.success && p.data !== undefined ? [p.data] : [];
  });
}

/** The documents that parse as `schema` and were written by `storeId`. */
export function storeOwn<T extends { storeId: string }>(
  docs: unknown[],
  schema: Schema<T>,
  storeId: string,
): T[] {
  return parseAll(docs, schema).filter((d) => d.storeId === storeId);
}

/** One document if it parses as `schema` and was written by `storeId`; undefined otherwise. */
export function storeOne<T extends { storeId: string }>(
  doc: unknown,
  schema: Schema<T>,
  storeId: string,
): T | undefined {
  return doc === undefined ? undefined : storeOwn([doc], schema, storeId)[0];
}
