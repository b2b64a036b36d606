import type { DataRead, ReadTrail } from '../../src/application/ports/read-trail.port.js';
import type { Page } from '../../src/application/ports/service-item.repository.port.js';

/** The read trail in memory: every read kept in order; listed newest first, the cursor being the position. */
export class InMemoryReadTrail implements ReadTrail {
  readonly reads: DataRead[] = [];

  record(read: DataRead): void {
    this.reads.push(read);
  }

  async flush(): Promise<void> {}

  async list(o: { subjectId: string; limit: number; cursor?: string }): Promise<Page<DataRead & { id: string }>> {
    const mine = this.reads
      .map((r, i) => ({ ...r, id: String(i + 1) }))
      .filter((r) => r.subjectId === o.subjectId)
      .reverse()
      .filter((r) => o.cursor === undefined || Number(r.id) < Number(o.cursor));
    const items = mine.slice(0, o.limit);
    return { items, nextCursor: mine.length > o.limit ? items.at(-1)!.id : null };
  }
}
