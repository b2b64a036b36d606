import { ChangeRequest, type ChangeRequestState } from '../../src/domain/service-item/change-request.js';
import { ConflictError } from '../../src/domain/shared/errors.js';
import type { ChangeRequestRepository, Page } from '../../src/application/ports/service-item.repository.port.js';
import type { HallState } from './in-memory-database.js';
import { newestFirst } from './newest-first.js';

/** Change requests in memory, with the one-pending-per-item rule of KnexChangeRequests. */
export class InMemoryChangeRequests implements ChangeRequestRepository {
  constructor(private readonly state: HallState) {}

  async add(request: ChangeRequest): Promise<void> {
    const p = request.snapshot();
    if (
      p.state === 'pending' &&
      [...this.state.changeRequests.values()].some((x) => x.itemId === p.itemId && x.state === 'pending')
    )
      throw new ConflictError(
        'CHANGE_REQUEST.ALREADY_PENDING',
        'a change request of this item is already waiting for the IT Office',
      );
    this.state.changeRequests.set(p.id, p);
  }

  async findById(id: string): Promise<ChangeRequest | null> {
    const p = this.state.changeRequests.get(id);
    return p ? ChangeRequest.restore(p) : null;
  }

  async save(request: ChangeRequest): Promise<void> {
    const p = request.snapshot();
    if (this.state.changeRequests.has(p.id)) this.state.changeRequests.set(p.id, p);
  }

  /** Newest first; the cursor holds the (requestedAt, id) of the last one of the previous page. */
  async list(o: {
    itemId?: string;
    states?: ChangeRequestState[];
    units: string[] | 'all';
    limit: number;
    cursor?: string;
  }): Promise<Page<ChangeRequest>> {
    const units = o.units;
    const rows = [...this.state.changeRequests.values()]
      .filter((x) => !o.itemId || x.itemId === o.itemId)
      .filter((x) => !o.states?.length || o.states.includes(x.state))
      .filter(
        (x) =>
          units === 'all' ||
          units.includes(x.unit) ||
          !!this.state.serviceItems.get(x.itemId)?.involvedUnits.some((u) => units.includes(u)),
      );
    const page = newestFirst(rows, (x) => x.requestedAt, o);
    return { items: page.rows.map((p) => ChangeRequest.restore(p)), nextCursor: page.nextCursor };
  }
}
