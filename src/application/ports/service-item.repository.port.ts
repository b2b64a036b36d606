import type { ChangeRequest, ChangeRequestState } from '../../domain/service-item/change-request.js';
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

/** Change requests (变更申请) of service items, newest first. */
export interface ChangeRequestRepository {
  /** Throws a ConflictError when the item already has a pending request. */
  add(request: ChangeRequest): Promise<void>;
  findById(id: string, options?: { forUpdate?: boolean }): Promise<ChangeRequest | null>;
  save(request: ChangeRequest): Promise<void>;
  list(options: {
    itemId?: string;
    states?: ChangeRequestState[];
    /** The units whose items' requests are listed: items they own or are involved in. */
    units: string[] | 'all';
    limit: number;
    cursor?: string;
  }): Promise<Page<ChangeRequest>>;
}
