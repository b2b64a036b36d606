import { z } from 'zod';

const COMPONENTS = new Map<string, z.ZodType>();

/**
 * A named schema of the API: the OpenAPI document lists it once under components/schemas and
 * refers to it wherever it appears, and the typed client names it the same.
 */
export function component<S extends z.ZodType>(id: string, schema: S): S {
  if (COMPONENTS.has(id) && COMPONENTS.get(id) !== schema)
    throw new Error(`schema component '${id}' is declared twice`);
  COMPONENTS.set(id, schema);
  return schema;
}

/** Every named schema, by its name. */
export function components(): ReadonlyMap<string, z.ZodType> {
  return COMPONENTS;
}

/** A page of a list, newest or oldest first as the operation says; nextCursor pages on. */
export function page<S extends z.ZodType>(id: string, item: S) {
  return component(
    id,
    z.object({
      items: z.array(item),
      nextCursor: z.string().nullable().describe('pass as ?cursor= for the next page; null on the last'),
    }),
  );
}

/** An instant as the API writes it: ISO 8601 in UTC. */
export const instant = z.iso.datetime();
/** A civil date, YYYY-MM-DD. */
export const civilDate = z.iso.date();
/** The id of an entity the hall creates. */
export const entityId = z.uuid();
/** A person's staff or student number. */
export const personId = z.string().describe('staff or student number');
