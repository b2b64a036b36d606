import type { Knex } from 'knex';
import { ConflictError } from '../../../domain/shared/errors.js';
import { ServiceItem, type ServiceItemProps } from '../../../domain/service-item/service-item.entity.js';
import type { ServiceItemState } from '../../../domain/service-item/service-item-lifecycle.js';
import type { Page, ServiceItemRepository } from '../../../application/ports/service-item.repository.port.js';
import { translatePgError } from './pg-errors.js';
import { decodeCodeCursor, encodeCursor } from './cursor.js';
import { jsonb } from './jsonb.js';

interface ServiceItemRow {
  id: string;
  code: string;
  name: string;
  owning_unit: string;
  involved_units: string[];
  description: string;
  offline_procedure: string;
  state: string;
  approvals: unknown[];
  rejection: unknown;
  offboarding_reason: string | null;
  online_version_id: string | null;
  lock_version: number;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

function toDomain(r: ServiceItemRow): ServiceItem {
  return ServiceItem.restore({
    id: r.id,
    code: r.code,
    name: r.name,
    owningUnit: r.owning_unit,
    involvedUnits: r.involved_units,
    description: r.description,
    offlineProcedure: r.offline_procedure,
    state: r.state as ServiceItemState,
    approvals: r.approvals as ServiceItemProps['approvals'],
    rejection: r.rejection as ServiceItemProps['rejection'],
    offboardingReason: r.offboarding_reason,
    onlineVersionId: r.online_version_id,
    lockVersion: r.lock_version,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
}

function toRow(p: ServiceItemProps): Record<string, unknown> {
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    owning_unit: p.owningUnit,
    involved_units: p.involvedUnits,
    description: p.description,
    offline_procedure: p.offlineProcedure,
    state: p.state,
    approvals: jsonb(p.approvals),
    rejection: jsonb(p.rejection),
    offboarding_reason: p.offboardingReason,
    online_version_id: p.onlineVersionId,
    created_by: p.createdBy,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

export class KnexServiceItemRepository implements ServiceItemRepository {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  private rows() {
    return this.db<ServiceItemRow>('service_items');
  }

  async findById(id: string, options: { forUpdate?: boolean } = {}): Promise<ServiceItem | null> {
    const q = this.rows().where({ id }).first();
    const row = options.forUpdate ? await q.forUpdate() : await q;
    return row ? toDomain(row) : null;
  }

  async findByCode(code: string): Promise<ServiceItem | null> {
    const row = await this.rows().where({ code }).first();
    return row ? toDomain(row) : null;
  }

  async add(item: ServiceItem): Promise<void> {
    try {
      await this.rows().insert({ ...toRow(item.snapshot()), lock_version: 1 });
    } catch (e) {
      translatePgError(e, {
        service_items_code_unique: {
          code: 'SERVICE_ITEM.CODE_TAKEN',
          message: `a service item with code '${item.code}' already exists`,
        },
      });
    }
    item.markSaved(1);
  }

  async save(item: ServiceItem): Promise<void> {
    const p = item.snapshot();
    const updated = await this.rows()
      .where({ id: p.id, lock_version: p.lockVersion })
      .update({ ...toRow(p), lock_version: p.lockVersion + 1 });
    if (updated !== 1) {
      throw new ConflictError(
        'SERVICE_ITEM.CONCURRENT_CHANGE',
        'the service item was changed by someone else meanwhile; reload and try again',
      );
    }
    item.markSaved(p.lockVersion + 1);
  }

  async list(options: {
    states?: ServiceItemState[];
    units?: string[] | 'all';
    limit: number;
    cursor?: string;
  }): Promise<Page<ServiceItem>> {
    const q = this.rows()
      .orderBy([{ column: 'code' }])
      .limit(options.limit + 1);
    if (options.states?.length) q.whereIn('state', options.states);
    if (options.units !== undefined && options.units !== 'all') {
      const units = options.units;
      if (!units.length) return { items: [], nextCursor: null };
      q.where((w) => w.whereIn('owning_unit', units).orWhereRaw('involved_units && ?::text[]', [units]));
    }
    const after = options.cursor ? decodeCodeCursor(options.cursor) : undefined;
    if (after) q.where('code', '>', after);
    const rows = (await q) as ServiceItemRow[];
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toDomain),
      nextCursor: rows.length > options.limit && last ? encodeCursor(last.code) : null,
    };
  }
}
