import { ServiceItem } from '../../src/domain/service-item/service-item.entity.js';
import type { ServiceItemState } from '../../src/domain/service-item/service-item-lifecycle.js';
import { ServiceVersion } from '../../src/domain/service-item/service-version.entity.js';
import { ConflictError, InputError } from '../../src/domain/shared/errors.js';
import type {
  Page,
  ServiceItemRepository,
  ServiceVersionRepository,
} from '../../src/application/ports/service-item.repository.port.js';
import type { HallState } from './in-memory-database.js';

const duplicate = () => new ConflictError('PERSISTENCE.DUPLICATE', 'this record already exists');
const cursorOf = (code: string): string => Buffer.from(JSON.stringify({ k: code })).toString('base64url');
const codeIn = (cursor: string): string => {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k?: unknown };
    if (typeof v.k === 'string') return v.k;
  } catch {
    /* refused below */
  }
  throw new InputError('PAGINATION.BAD_CURSOR', 'The cursor is not valid', [
    { path: '/cursor', message: 'not a cursor issued by this API' },
  ]);
};

/** Service items in memory, with the unique code and the optimistic lockVersion of KnexServiceItemRepository. */
export class InMemoryServiceItemRepository implements ServiceItemRepository {
  constructor(private readonly state: HallState) {}

  async findById(id: string): Promise<ServiceItem | null> {
    const p = this.state.serviceItems.get(id);
    return p ? ServiceItem.restore(structuredClone(p)) : null;
  }

  async findByCode(code: string): Promise<ServiceItem | null> {
    const p = [...this.state.serviceItems.values()].find((x) => x.code === code);
    return p ? ServiceItem.restore(structuredClone(p)) : null;
  }

  async add(item: ServiceItem): Promise<void> {
    if (this.state.serviceItems.has(item.id)) throw duplicate();
    if ([...this.state.serviceItems.values()].some((x) => x.code === item.code)) {
      throw new ConflictError('SERVICE_ITEM.CODE_TAKEN', `a service item with code '${item.code}' already exists`);
    }
    this.state.serviceItems.set(item.id, { ...item.snapshot(), lockVersion: 1 });
    item.markSaved(1);
  }

  async save(item: ServiceItem): Promise<void> {
    const p = item.snapshot();
    if (this.state.serviceItems.get(p.id)?.lockVersion !== p.lockVersion) {
      throw new ConflictError(
        'SERVICE_ITEM.CONCURRENT_CHANGE',
        'the service item was changed by someone else meanwhile; reload and try again',
      );
    }
    this.state.serviceItems.set(p.id, { ...p, lockVersion: p.lockVersion + 1 });
    item.markSaved(p.lockVersion + 1);
  }

  /** In code order; the cursor holds the last code of the previous page, and a forged one is refused. */
  async list(o: {
    states?: ServiceItemState[];
    units?: string[] | 'all';
    limit: number;
    cursor?: string;
  }): Promise<Page<ServiceItem>> {
    const units = o.units;
    const after = o.cursor === undefined ? undefined : codeIn(o.cursor);
    const rows = [...this.state.serviceItems.values()]
      .filter((x) => !o.states?.length || o.states.includes(x.state))
      .filter(
        (x) =>
          units === undefined ||
          units === 'all' ||
          units.includes(x.owningUnit) ||
          x.involvedUnits.some((u) => units.includes(u)),
      )
      .filter((x) => after === undefined || x.code > after)
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    const items = rows.slice(0, o.limit);
    return {
      items: items.map((p) => ServiceItem.restore(structuredClone(p))),
      nextCursor: rows.length > o.limit ? cursorOf(items.at(-1)!.code) : null,
    };
  }
}

/** Versions in memory, with the partial unique indexes of the real table: one draft and one online version per item. */
export class InMemoryServiceVersionRepository implements ServiceVersionRepository {
  constructor(private readonly state: HallState) {}

  async findById(id: string): Promise<ServiceVersion | null> {
    const p = this.state.serviceVersions.get(id);
    return p ? ServiceVersion.restore(structuredClone(p)) : null;
  }

  async findByIds(ids: readonly string[]): Promise<ServiceVersion[]> {
    return ids.flatMap((id) => {
      const p = this.state.serviceVersions.get(id);
      return p ? [ServiceVersion.restore(structuredClone(p))] : [];
    });
  }

  async listByItem(itemId: string): Promise<ServiceVersion[]> {
    return this.ofItem(itemId)
      .sort((a, b) => a.number - b.number)
      .map((p) => ServiceVersion.restore(structuredClone(p)));
  }

  async findDraft(itemId: string): Promise<ServiceVersion | null> {
    const p = this.ofItem(itemId).find((x) => x.state === 'draft');
    return p ? ServiceVersion.restore(structuredClone(p)) : null;
  }

  async nextNumber(itemId: string): Promise<number> {
    return Math.max(0, ...this.ofItem(itemId).map((x) => x.number)) + 1;
  }

  async add(version: ServiceVersion): Promise<void> {
    const p = version.snapshot();
    if (this.state.serviceVersions.has(p.id)) throw duplicate();
    if (p.state === 'draft' && this.ofItem(p.itemId).some((x) => x.state === 'draft')) {
      throw new ConflictError('SERVICE_VERSION.DRAFT_EXISTS', 'this service item already has a draft version');
    }
    this.state.serviceVersions.set(p.id, { ...p, lockVersion: 1 });
    version.markSaved(1);
  }

  async save(version: ServiceVersion): Promise<void> {
    const p = version.snapshot();
    // a stale copy is refused first: the real UPDATE matches no row, so the one-online index is never reached
    if (this.state.serviceVersions.get(p.id)?.lockVersion !== p.lockVersion) {
      throw new ConflictError(
        'SERVICE_VERSION.CONCURRENT_CHANGE',
        'the version was changed by someone else meanwhile; reload and try again',
      );
    }
    if (p.state === 'online' && this.ofItem(p.itemId).some((x) => x.id !== p.id && x.state === 'online')) {
      throw new ConflictError(
        'SERVICE_VERSION.ALREADY_ONLINE',
        'another version of this service item went online meanwhile',
      );
    }
    this.state.serviceVersions.set(p.id, { ...p, lockVersion: p.lockVersion + 1 });
    version.markSaved(p.lockVersion + 1);
  }

  private ofItem(itemId: string) {
    return [...this.state.serviceVersions.values()].filter((x) => x.itemId === itemId);
  }
}
