import type { Knex } from 'knex';
import {
  ChangeRequest,
  type ChangeRequestProps,
  type ChangeRequestState,
} from '../../../domain/service-item/change-request.js';
import type { ChangeRequestRepository, Page } from '../../../application/ports/service-item.repository.port.js';
import { newestFirstPage } from './cursor.js';
import { jsonb } from './jsonb.js';
import { translatePgError } from './pg-errors.js';

interface Row {
  id: string;
  item_id: string;
  unit_key: string;
  state: ChangeRequestState;
  reason: string;
  needs: ChangeRequestProps['needs'];
  requested_by: string;
  requested_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  decision_comment: string | null;
  version_id: string | null;
}

const toDomain = (r: Row): ChangeRequest =>
  ChangeRequest.restore({
    id: r.id,
    itemId: r.item_id,
    unit: r.unit_key,
    state: r.state,
    reason: r.reason,
    needs: r.needs,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at.toISOString(),
    decision:
      r.decided_by && r.decided_at
        ? { by: r.decided_by, at: r.decided_at.toISOString(), comment: r.decision_comment }
        : null,
    versionId: r.version_id,
  });

const toRow = (p: ChangeRequestProps): Row => ({
  id: p.id,
  item_id: p.itemId,
  unit_key: p.unit,
  state: p.state,
  reason: p.reason,
  needs: jsonb(p.needs) as unknown as Row['needs'],
  requested_by: p.requestedBy,
  requested_at: new Date(p.requestedAt),
  decided_by: p.decision?.by ?? null,
  decided_at: p.decision ? new Date(p.decision.at) : null,
  decision_comment: p.decision?.comment ?? null,
  version_id: p.versionId,
});

/** Change requests in `service_change_requests`; at most one pending per item (a partial unique index). */
export class KnexChangeRequests implements ChangeRequestRepository {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  private rows() {
    return this.db<Row>('service_change_requests');
  }

  async add(request: ChangeRequest): Promise<void> {
    try {
      await this.rows().insert(toRow(request.snapshot()));
    } catch (e) {
      translatePgError(e, {
        service_change_requests_one_pending: {
          code: 'CHANGE_REQUEST.ALREADY_PENDING',
          message: 'a change request of this item is already waiting for the IT Office',
        },
      });
    }
  }

  async findById(id: string, options: { forUpdate?: boolean } = {}): Promise<ChangeRequest | null> {
    const q = this.rows().where({ id }).first();
    const row = options.forUpdate ? await q.forUpdate() : await q;
    return row ? toDomain(row as Row) : null;
  }

  async save(request: ChangeRequest): Promise<void> {
    const { id, ...rest } = toRow(request.snapshot());
    await this.rows().where({ id }).update(rest);
  }

  async list(o: {
    itemId?: string;
    states?: ChangeRequestState[];
    units: string[] | 'all';
    limit: number;
    cursor?: string;
  }): Promise<Page<ChangeRequest>> {
    if (o.units !== 'all' && !o.units.length) return { items: [], nextCursor: null };
    const q = this.rows();
    if (o.itemId) q.where({ item_id: o.itemId });
    if (o.states?.length) q.whereIn('state', o.states);
    const units = o.units;
    if (units !== 'all')
      q.where((w) =>
        w
          .whereIn('unit_key', units)
          .orWhereExists((x) =>
            x
              .select(this.db.raw('1'))
              .from('service_items')
              .whereRaw('service_items.id = service_change_requests.item_id')
              .whereRaw('service_items.involved_units && ?::text[]', [units]),
          ),
      );
    const page = await newestFirstPage<Row>(q, 'requested_at', (r) => r.requested_at, o);
    return { items: page.rows.map(toDomain), nextCursor: page.nextCursor };
  }
}
