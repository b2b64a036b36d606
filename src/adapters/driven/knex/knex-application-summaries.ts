import type { Knex } from 'knex';
import type { ApplicationState } from '../../../domain/application/application-state.js';
import type {
  ApplicationSummaries,
  ApplicationSummary,
  ItemApplicationFilters,
  ItemApplicationLine,
} from '../../../application/ports/application-summaries.port.js';
import type { Page } from '../../../application/ports/service-item.repository.port.js';
import { decodeInstantIdCursor, encodeInstantIdCursor } from './cursor.js';
import { ProcessDefinitionCache } from './process-definition-cache.js';
import { itemApplications } from './knex-item-applications.js';

interface SummaryRow {
  id: string;
  case_number: string | null;
  item_id: string;
  item_code: string;
  item_name: string;
  version_id: string;
  state: ApplicationState;
  active_node: string | null;
  created_at: Date;
  updated_at: Date;
}

/**
 * Summaries read from the applications row and its item only, newest first through
 * applications_by_applicant (applicant_id, created_at DESC, id DESC): a page costs a page of index
 * entries and rows however many years of applications the person has. The active step's name comes
 * from the launched version's definition, which never changes, so it is cached per instance.
 */
export class KnexApplicationSummaries implements ApplicationSummaries {
  private readonly definitions = new ProcessDefinitionCache(200);

  constructor(private readonly knex: Knex) {}

  ofItem(o: ItemApplicationFilters & { limit: number; cursor?: string }): Promise<Page<ItemApplicationLine>> {
    return itemApplications(this.knex, this.definitions, o);
  }

  async ofApplicant(o: { applicantId: string; limit: number; cursor?: string }): Promise<Page<ApplicationSummary>> {
    const q = this.knex('applications as a')
      .join('service_items as s', 's.id', 'a.item_id')
      .where('a.applicant_id', o.applicantId)
      .select(
        'a.id',
        'a.case_number',
        'a.item_id',
        's.code as item_code',
        's.name as item_name',
        'a.version_id',
        'a.state',
        'a.active_node',
        'a.created_at',
        'a.updated_at',
      )
      .orderBy([
        { column: 'a.created_at', order: 'desc' },
        { column: 'a.id', order: 'desc' },
      ])
      .limit(o.limit + 1);
    if (o.cursor) {
      const { at, id } = decodeInstantIdCursor(o.cursor);
      q.whereRaw('(a.created_at, a.id) < (?::timestamptz, ?::uuid)', [at, id]);
    }
    const rows = (await q) as SummaryRow[];
    const page = rows.slice(0, o.limit);
    const definitions = await this.definitions.get(
      this.knex,
      page.filter((r) => r.active_node !== null).map((r) => r.version_id),
    );
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        id: r.id,
        caseNumber: r.case_number,
        serviceItem: { id: r.item_id, code: r.item_code, name: r.item_name },
        state: r.state,
        activeNode:
          r.active_node === null
            ? null
            : {
                key: r.active_node,
                name: definitions.get(r.version_id)?.nodes.find((n) => n.key === r.active_node)?.name ?? null,
              },
        createdAt: r.created_at.toISOString(),
        updatedAt: r.updated_at.toISOString(),
      })),
      nextCursor: rows.length > o.limit && last ? encodeInstantIdCursor(last.created_at, last.id) : null,
    };
  }
}
