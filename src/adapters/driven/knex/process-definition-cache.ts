import type { Knex } from 'knex';
import type { ProcessDefinition } from '../../../domain/process-definition/process-definition.js';

/**
 * The process definitions applications run on, per version, shared by every transaction of an
 * instance. Applications only ever run on launched versions, whose definitions never change (only a
 * draft is edited), so an entry never goes stale; the least recently used ones make room.
 */
export class ProcessDefinitionCache {
  private readonly entries = new Map<string, ProcessDefinition>();

  constructor(private readonly capacity = 1000) {}

  /** A definition an application was just started on (it is that of a launched version). */
  remember(versionId: string, definition: ProcessDefinition): void {
    if (this.entries.has(versionId)) return;
    this.entries.set(versionId, definition);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  async get(db: Knex | Knex.Transaction, versionIds: readonly string[]): Promise<Map<string, ProcessDefinition>> {
    const found = new Map<string, ProcessDefinition>();
    const missing: string[] = [];
    for (const id of new Set(versionIds)) {
      const d = this.entries.get(id);
      if (d) {
        // most recently used last
        this.entries.delete(id);
        this.entries.set(id, d);
        found.set(id, d);
      } else missing.push(id);
    }
    if (missing.length) {
      const rows = (await db('service_versions').whereIn('id', missing).select('id', 'definition')) as Array<{
        id: string;
        definition: ProcessDefinition;
      }>;
      for (const r of rows) {
        found.set(r.id, r.definition);
        this.entries.set(r.id, r.definition);
      }
      while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    }
    return found;
  }
}
