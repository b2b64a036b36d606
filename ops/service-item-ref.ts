import type { UseCases } from '../src/adapters/composition/use-cases.js';
import type { Actor } from '../src/application/ports/actor.js';

/** The id of the item a command names by code (e.g. JW-ZDZM) or id; undefined when the operator sees no such item. */
export async function itemIdOf(useCases: UseCases, actor: Actor, ref: string): Promise<string | undefined> {
  if (/^[0-9a-f-]{36}$/.test(ref)) return ref;
  const all = await useCases.listServiceItems.execute({ actor, limit: 200 });
  return all.ok ? all.value.items.find((i) => i.code === ref)?.id : undefined;
}
