import {
  ChangeRequest,
  type ChangeRequestProps,
  type ChangeRequestState,
} from '../../src/domain/service-item/change-request.js';
import { ConflictError, InputError } from '../../src/domain/shared/errors.js';
import type { ChangeRequestRepository, Page } from '../../src/application/ports/service-item.repository.port.js';
import type { HallState } from './in-memory-database.js';

const cursorOf = (p: ChangeRequestProps) =>
  Buffer.from(JSON.stringify({ k: `${p.requestedAt}|${p.id}` })).toString('base64url');
function keyIn(cursor: string): string {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k?: unknown };
    if (typeof v.k === 'string' && v.k.includes('|')) return v.k;
  } catch {
    /* refused below */
  }
  throw new InputError('PAGINATION.BAD_CURSOR', 'The cursor is not valid', [
    { path: '/cursor', message: 'not a cursor issued by this API' },
  ]);
}
const keyOf = (p: ChangeRequestProps) => `${p.requestedAt}|${p.id}`;

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
    const after = o.cursor === undefined ? undefined : keyIn(o.cursor);
    const rows = [...this.state.changeRequests.values()]
      .filter((x) => !o.itemId || x.itemId === o.itemId)
      .filter((x) => !o.states?.length || o.states.includes(x.state))
      .filter((x) => {
        const units = o.units;
        if (units === 'all' || units.includes(x.unit)) return true;
        return !!this.state.serviceItems.get(x.itemId)?.involvedUnits.some((u) => units.includes(u));
      })
      .filter((x) => after === undefined || keyOf(x) < after)
      .sort((a, b) => (keyOf(a) < keyOf(b) ? 1 : keyOf(a) > keyOf(b) ? -1 : 0));
    const page = rows.slice(0, o.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((p) => ChangeRequest.restore(p)),
      nextCursor: rows.length > o.limit && last ? cursorOf(last) : null,
    };
  }
}
