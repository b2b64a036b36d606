import type { ServiceItem } from '../../domain/service-item/service-item.entity.js';
import type { ServiceItemState } from '../../domain/service-item/service-item-lifecycle.js';
import type { ServiceVersion } from '../../domain/service-item/service-version.entity.js';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ServiceItemRepository {
  findById(id: string, options?: { forUpdate?: boolean }): Promise<ServiceItem | null>;
  findByCode(code: string): Promise<ServiceItem | null>;
  /** Throws a ConflictError when the code is taken. */
  add(item: ServiceItem): Promise<void>;
  /** Optimistic: throws a ConflictError when someone else saved the item since it was loaded. */
  save(item: ServiceItem): Promise<void>;
  list(options: {
    states?: ServiceItemState[];
    units?: string[] | 'all';
    limit: number;
    cursor?: string;
  }): Promise<Page<ServiceItem>>;
}

export interface ServiceVersionRepository {
  findById(id: string): Promise<ServiceVersion | null>;
  findByIds(ids: readonly string[]): Promise<ServiceVersion[]>;
  listByItem(itemId: string): Promise<ServiceVersion[]>;
  findDraft(itemId: string): Promise<ServiceVersion | null>;
  nextNumber(itemId: string): Promise<number>;
  add(version: ServiceVersion): Promise<void>;
  save(version: ServiceVersion): Promise<void>;
}
