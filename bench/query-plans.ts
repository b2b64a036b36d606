import type { Knex } from 'knex';
import type pg from 'pg';

/** A statement as knex sent it to PostgreSQL ($n placeholders, prepared bindings). */
export interface SentQuery {
  sql: string;
  bindings: unknown[];
}

/** Runs the work and records every read statement the knex instance sends meanwhile. */
export async function captureReads<T>(
  knex: Knex,
  work: () => Promise<T>,
): Promise<{ result: T; queries: SentQuery[] }> {
  const queries: SentQuery[] = [];
  const listen = (q: { sql: string; bindings?: unknown[] }) => {
    if (/^\s*(select|with)\b/i.test(q.sql)) queries.push({ sql: q.sql, bindings: q.bindings ?? [] });
  };
  knex.on('query', listen);
  try {
    return { result: await work(), queries };
  } finally {
    knex.off('query', listen);
  }
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Heap Fetches'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

export interface Scan {
  node: string;
  relation: string | null;
  index: string | null;
  rows: number;
  removed: number;
  heapFetches: number;
}

export interface PlanSummary {
  sql: string;
  scans: Scan[];
  /** Rows every scan node produced or filtered out, all loops: the work the statement did in tables and indexes. */
  rowsTouched: number;
  indexes: string[];
  /** Tables read by a sequential scan. */
  seqScans: string[];
  buffers: number;
  executionMs: number | null;
  plan: unknown;
}

/**
 * An index of a partition of the audit log named as its partitioned index
 * (audit_log_y2026m11_by_entity → audit_log_by_entity). Scanned tables keep their partition's name.
 */
function parentIndexName(name: string | undefined): string | null {
  return name ? name.replace(/^audit_log_(y\d{4}m\d{2}|default)(?=_|$)/, 'audit_log') : null;
}

function walk(node: PlanNode, into: Scan[]): void {
  if (/Scan/.test(node['Node Type']) && (node['Relation Name'] || node['Index Name'])) {
    const loops = node['Actual Loops'] ?? 1;
    into.push({
      node: node['Node Type'],
      relation: node['Relation Name'] ?? null,
      index: parentIndexName(node['Index Name']),
      rows: Math.round((node['Actual Rows'] ?? 0) * loops),
      removed: Math.round((node['Rows Removed by Filter'] ?? 0) * loops),
      heapFetches: node['Heap Fetches'] ?? 0,
    });
  }
  for (const child of node.Plans ?? []) walk(child, into);
}

/** EXPLAIN (FORMAT JSON), with ANALYZE and BUFFERS when asked, of a statement as it was sent. */
export async function explain(db: pg.ClientBase, q: SentQuery, analyze: boolean): Promise<PlanSummary> {
  const options = analyze ? 'ANALYZE, BUFFERS, FORMAT JSON' : 'FORMAT JSON';
  const out = (await db.query(`EXPLAIN (${options}) ${q.sql}`, q.bindings)).rows[0] as {
    'QUERY PLAN': Array<{ Plan: PlanNode; 'Execution Time'?: number }>;
  };
  const top = out['QUERY PLAN'][0]!;
  const scans: Scan[] = [];
  walk(top.Plan, scans);
  return {
    sql: q.sql.replace(/\s+/g, ' ').trim(),
    scans,
    rowsTouched: scans.reduce((n, s) => n + s.rows + s.removed, 0),
    indexes: [...new Set(scans.flatMap((s) => (s.index ? [s.index] : [])))],
    seqScans: [...new Set(scans.filter((s) => s.node === 'Seq Scan').map((s) => s.relation ?? '?'))],
    buffers: (top.Plan['Shared Hit Blocks'] ?? 0) + (top.Plan['Shared Read Blocks'] ?? 0),
    executionMs: top['Execution Time'] ?? null,
    plan: top,
  };
}
