import type { Knex } from 'knex';
import { ConflictError } from '../../../domain/shared/errors.js';
import {
  ServiceVersion,
  type ServiceVersionProps,
  type VersionState,
} from '../../../domain/service-item/service-version.entity.js';
import type { ProcessDefinition } from '../../../domain/process-definition/process-definition.js';
import type { ServiceVersionRepository } from '../../../application/ports/service-item.repository.port.js';
import { translatePgError } from './pg-errors.js';
import { jsonb } from './jsonb.js';

interface ServiceVersionRow {
  id: string;
  item_id: string;
  number: number;
  state: string;
  definition: unknown;
  confirmations: unknown[];
  change_reason: string | null;
  lock_version: number;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  launched_at: Date | null;
}

function toDomain(r: ServiceVersionRow): ServiceVersion {
  return ServiceVersion.restore({
    id: r.id,
    itemId: r.item_id,
    number: r.number,
    state: r.state as VersionState,
    definition: (r.definition ?? null) as ProcessDefinition | null,
    confirmations: r.confirmations as ServiceVersionProps['confirmations'],
    changeReason: r.change_reason,
    lockVersion: r.lock_version,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    launchedAt: r.launched_at,
  });
}

function toRow(p: ServiceVersionProps): Record<string, unknown> {
  return {
    id: p.id,
    item_id: p.itemId,
    number: p.number,
    state: p.state,
    definition: jsonb(p.definition),
    confirmations: jsonb(p.confirmations),
    change_reason: p.changeReason,
    created_by: p.createdBy,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    launched_at: p.launchedAt,
  };
}

export class KnexServiceVersionRepository implements ServiceVersionRepository {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  private rows() {
    return this.db<ServiceVersionRow>('service_versions');
  }

  async findById(id: string): Promise<ServiceVersion | null> {
    const row = await this.rows().where({ id }).first();
    return row ? toDomain(row) : null;
  }

  async findByIds(ids: readonly string[]): Promise<ServiceVersion[]> {
    if (!ids.length) return [];
    const rows = (await this.rows().whereIn('id', [...ids])) as ServiceVersionRow[];
    return rows.map(toDomain);
  }

  async listByItem(itemId: string): Promise<ServiceVersion[]> {
    const rows = (await this.rows().where({ item_id: itemId }).orderBy('number')) as ServiceVersionRow[];
    return rows.map(toDomain);
  }

  async findDraft(itemId: string): Promise<ServiceVersion | null> {
    const row = await this.rows().where({ item_id: itemId, state: 'draft' }).first();
    return row ? toDomain(row) : null;
  }

  async nextNumber(itemId: string): Promise<number> {
    const r = (await this.rows().where({ item_id: itemId }).max('number as max').first()) as unknown as
      { max: number | null } | undefined;
    return (r?.max ?? 0) + 1;
  }

  async add(version: ServiceVersion): Promise<void> {
    try {
      await this.rows().insert({ ...toRow(version.snapshot()), lock_version: 1 });
    } catch (e) {
      translatePgError(e, {
        service_versions_one_draft: {
          code: 'SERVICE_VERSION.DRAFT_EXISTS',
          message: 'this service item already has a draft version',
        },
      });
    }
    version.markSaved(1);
  }

  async save(version: ServiceVersion): Promise<void> {
    const p = version.snapshot();
    let updated: number;
    try {
      updated = await this.rows()
        .where({ id: p.id, lock_version: p.lockVersion })
        .update({ ...toRow(p), lock_version: p.lockVersion + 1 });
    } catch (e) {
      translatePgError(e, {
        service_versions_one_online: {
          code: 'SERVICE_VERSION.ALREADY_ONLINE',
          message: 'another version of this service item went online meanwhile',
        },
      });
    }
    if (updated !== 1) {
      throw new ConflictError(
        'SERVICE_VERSION.CONCURRENT_CHANGE',
        'the version was changed by someone else meanwhile; reload and try again',
      );
    }
    version.markSaved(p.lockVersion + 1);
  }
}
