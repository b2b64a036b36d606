import type { ProcessDefinition } from '../../domain/process-definition/process-definition.js';

/** An item that cannot be served online as usual now: why, and how to apply offline meanwhile (应急办理方式). */
export interface Degradation {
  reasons: string[];
  offlineProcedure: string;
}

/**
 * Whether an item on `definition` is degraded now: one of the business systems its transfer nodes
 * hand cases to is unavailable. Applicants are then shown the item's offline procedure.
 */
export function degradationOf(
  definition: Pick<ProcessDefinition, 'nodes'>,
  offlineProcedure: string,
  unavailable: ReadonlySet<string>,
): Degradation | null {
  const down = [
    ...new Set(definition.nodes.flatMap((n) => (n.connector && unavailable.has(n.connector) ? [n.connector] : []))),
  ];
  return down.length
    ? { reasons: down.map((c) => `the business system '${c}' is unavailable`), offlineProcedure }
    : null;
}
