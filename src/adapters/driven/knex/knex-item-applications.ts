import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { ApplicationState } from '../../../domain/application/application-state.js';
import type {
  ItemApplicationFilters,
  ItemApplicationLine,
} from '../../../application/ports/application-summaries.port.js';
import type { Page } from '../../../application/ports/service-item.repository.port.js';
import type { ProcessDefinition } from '../../../domain/process-definition/process-definition.js';
import { InputError } from '../../../domain/shared/errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { ProcessDefinitionCache } from './process-definition-cache.js';

interface LineRow {
  id: string;
  case_number: string | null;
  applicant_id: string;
  applicant_name: string | null;
  applicant_unit: string;
  version_id: string;
  state: ApplicationState;
  active_nodes: string[];
  submitted_at: Date;
  updated_at: Date;
  ended_at: Date | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const badCursor = () =>
  new InputError('PAGINATION.BAD_CURSOR', 'The cursor is not valid', [
    { in: 'query', path: '/cursor', message: 'not a cursor issued by this API for these filters' },
  ]);

/** What a cursor is bound to: the filters of the list it pages. */
function fingerprint(f: ItemApplicationFilters): string {
  const key = JSON.stringify([
    f.itemId,
    f.caseNumber ?? null,
    f.applicant ?? null,
    f.state ?? null,
    f.node ?? null,
    f.submittedFrom?.toISOString() ?? null,
    f.submittedTo?.toISOString() ?? null,
  ]);
  return createHash('sha256').update(key).digest('base64url').slice(0, 12);
}

/** The (submitted_at, id) after which the page starts, from a cursor issued for these very filters. */
function after(cursor: string, print: string): { at: Date; id: string } {
  const [at = '', id = '', bound = '', ...rest] = decodeCursor(cursor).split('|');
  if (rest.length || bound !== print || !UUID.test(id) || !ISO_INSTANT.test(at)) throw badCursor();
  const parsed = new Date(at);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString() !== at) throw badCursor();
  return { at: parsed, id };
}

/** The node filter and the nodes of a line: an application waits at every step in active_nodes (several while parallel branches run). */
export function whereActiveAt(q: Knex.QueryBuilder, node: string): void {
  q.whereRaw('a.active_nodes \\? ?', [node]);
}
function activeNodesOf(
  row: Pick<LineRow, 'active_nodes'>,
  definition: ProcessDefinition | undefined,
): ItemApplicationLine['activeNodes'] {
  return row.active_nodes.map((key) => ({ key, name: definition?.nodes.find((n) => n.key === key)?.name ?? null }));
}

const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * An item's submitted applications, newest submission first, through applications_by_item_submitted
 * (item_id, submitted_at DESC, id DESC): a page reads a page of index entries in the item however
 * many applications it has; the other filters narrow it. Applicants' names come from people; no
 * form is read.
 */
export async function itemApplications(
  knex: Knex,
  definitions: ProcessDefinitionCache,
  o: ItemApplicationFilters & { limit: number; cursor?: string },
): Promise<Page<ItemApplicationLine>> {
  const print = fingerprint(o);
  const q = knex('applications as a')
    .leftJoin('people as p', 'p.id', 'a.applicant_id')
    .where('a.item_id', o.itemId)
    .whereNotNull('a.submitted_at')
    .select(
      'a.id',
      'a.case_number',
      'a.applicant_id',
      'p.name as applicant_name',
      knex.raw("a.applicant->>'unit' as applicant_unit"),
      'a.version_id',
      'a.state',
      'a.active_nodes',
      'a.submitted_at',
      'a.updated_at',
      'a.ended_at',
    )
    .orderBy([
      { column: 'a.submitted_at', order: 'desc' },
      { column: 'a.id', order: 'desc' },
    ])
    .limit(o.limit + 1);
  if (o.caseNumber !== undefined) q.whereRaw("a.case_number LIKE ? ESCAPE '\\'", [likePrefix(o.caseNumber)]);
  if (o.applicant !== undefined) q.where('a.applicant_id', o.applicant);
  if (o.state !== undefined) q.where('a.state', o.state);
  if (o.node !== undefined) whereActiveAt(q, o.node);
  if (o.submittedFrom) q.where('a.submitted_at', '>=', o.submittedFrom);
  if (o.submittedTo) q.where('a.submitted_at', '<', o.submittedTo);
  if (o.cursor) {
    const c = after(o.cursor, print);
    q.whereRaw('(a.submitted_at, a.id) < (?::timestamptz, ?::uuid)', [c.at, c.id]);
  }
  const rows = (await q) as LineRow[];
  const page = rows.slice(0, o.limit);
  const byVersion = await definitions.get(
    knex,
    page.filter((r) => r.active_nodes.length > 0).map((r) => r.version_id),
  );
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: r.id,
      caseNumber: r.case_number,
      applicant: { id: r.applicant_id, name: r.applicant_name, unit: r.applicant_unit },
      state: r.state,
      activeNodes: activeNodesOf(r, byVersion.get(r.version_id)),
      submittedAt: r.submitted_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      endedAt: r.ended_at?.toISOString() ?? null,
    })),
    nextCursor:
      rows.length > o.limit && last ? encodeCursor(`${last.submitted_at.toISOString()}|${last.id}|${print}`) : null,
  };
}
