import type { Knex } from 'knex';
import type { BatchAdapter, FilteredAdapter, Model, UpdatableAdapter } from 'casbin';

export const CASBIN_RULE_TABLE = 'casbin_rule';

const FIELDS = ['v0', 'v1', 'v2', 'v3', 'v4', 'v5'] as const;
const COLUMNS = ['ptype', ...FIELDS] as const;
/** Rows per INSERT/DELETE statement (7 parameters a row, far below PostgreSQL's 65,535). */
const CHUNK = 1000;

type Field = (typeof FIELDS)[number];
export type CasbinRuleRow = { ptype: string } & Record<Field, string>;

/**
 * Which rules `loadFilteredPolicy` loads. Only the ptypes named here are loaded. For each ptype, the
 * conditions are positional from v0: '' or undefined matches anything, a string matches exactly and
 * an array matches any of its values. `{ p: [], g: ['', '', ['*', 'academic-affairs']] }` loads every
 * `p` rule and the role assignments held globally or in academic-affairs.
 */
export type CasbinRuleFilter = Readonly<Record<string, ReadonlyArray<string | readonly string[] | undefined>>>;

/**
 * Casbin adapter over the `casbin_rule` table, using the application's knex pool (never one of its own).
 * Every value is a column of its own (no CSV joining), so commas, quotes and any unicode round-trip
 * exactly; fields a rule does not have are stored as ''.
 */
export class KnexCasbinAdapter implements BatchAdapter, UpdatableAdapter, FilteredAdapter {
  private filtered = false;

  constructor(
    private readonly knex: Knex,
    private readonly table: string = CASBIN_RULE_TABLE,
  ) {}

  async loadPolicy(model: Model): Promise<void> {
    const rows = await this.knex<CasbinRuleRow>(this.table)
      .select(...COLUMNS)
      .orderBy('id');
    for (const row of rows) loadRow(model, row);
    this.filtered = false;
  }

  async loadFilteredPolicy(model: Model, filter: CasbinRuleFilter | null | undefined): Promise<void> {
    if (!filter) return this.loadPolicy(model);
    const ptypes = Object.keys(filter);
    const query = this.knex<CasbinRuleRow>(this.table)
      .select(...COLUMNS)
      .orderBy('id');
    // no ptype named: nothing matches (an empty OR group would be invalid SQL)
    if (ptypes.length === 0) query.whereRaw('false');
    else
      query.where((any) => {
        for (const ptype of ptypes) {
          any.orWhere((one) => {
            one.where('ptype', ptype);
            (filter[ptype] ?? []).forEach((condition, i) => {
              const field = FIELDS[i];
              if (field === undefined)
                throw new Error(`casbin filter for ${ptype} has more than ${FIELDS.length} fields`);
              if (typeof condition === 'string') {
                if (condition !== '') one.where(field, condition);
              } else if (condition !== undefined) {
                one.whereIn(field, [...condition]);
              }
            });
          });
        }
      });
    for (const row of await query) loadRow(model, row);
    this.filtered = true;
  }

  isFiltered(): boolean {
    return this.filtered;
  }

  /** Replaces the whole table by the model's rules in one transaction: all or nothing. */
  async savePolicy(model: Model): Promise<boolean> {
    if (this.filtered) throw new Error('cannot save a filtered policy');
    await this.knex.transaction(async (trx) => {
      await trx(this.table).delete();
      for (const sec of ['p', 'g']) {
        for (const [ptype, ast] of model.model.get(sec) ?? new Map()) {
          await insertRows(
            trx,
            this.table,
            ast.policy.map((rule: string[]) => toRow(ptype, rule)),
          );
        }
      }
    });
    return true;
  }

  async addPolicy(_sec: string, ptype: string, rule: string[]): Promise<void> {
    await insertRows(this.knex, this.table, [toRow(ptype, rule)]);
  }

  async addPolicies(_sec: string, ptype: string, rules: string[][]): Promise<void> {
    const rows = rules.map((rule) => toRow(ptype, rule));
    await this.knex.transaction((trx) => insertRows(trx, this.table, rows));
  }

  async removePolicy(_sec: string, ptype: string, rule: string[]): Promise<void> {
    await this.knex(this.table).where(toRow(ptype, rule)).delete();
  }

  async removePolicies(_sec: string, ptype: string, rules: string[][]): Promise<void> {
    const tuples = rules.map((rule) => COLUMNS.map((c) => toRow(ptype, rule)[c]));
    await this.knex.transaction(async (trx) => {
      for (let i = 0; i < tuples.length; i += CHUNK) {
        await trx(this.table)
          .whereIn([...COLUMNS], tuples.slice(i, i + CHUNK))
          .delete();
      }
    });
  }

  async updatePolicy(_sec: string, ptype: string, oldRule: string[], newRule: string[]): Promise<void> {
    const { ptype: _p, ...values } = toRow(ptype, newRule);
    await this.knex(this.table).where(toRow(ptype, oldRule)).update(values);
  }

  /** Removes the rules whose fields from `fieldIndex` on equal `fieldValues` ('' matches anything). */
  async removeFilteredPolicy(_sec: string, ptype: string, fieldIndex: number, ...fieldValues: string[]): Promise<void> {
    if (!Number.isInteger(fieldIndex) || fieldIndex < 0 || fieldIndex + fieldValues.length > FIELDS.length) {
      throw new Error(`casbin filter out of range: field ${fieldIndex}, ${fieldValues.length} value(s)`);
    }
    const query = this.knex(this.table).where('ptype', ptype);
    fieldValues.forEach((value, i) => {
      const field = FIELDS[fieldIndex + i];
      if (value !== '' && field !== undefined) query.where(field, value);
    });
    await query.delete();
  }
}

/** The row of one rule; throws when it does not fit the table. Values are passed through unchanged. */
export function toRow(ptype: string, rule: readonly string[]): CasbinRuleRow {
  if (!ptype) throw new Error('casbin rule without a ptype');
  if (rule.length > FIELDS.length) {
    throw new Error(`casbin ${ptype} rule has ${rule.length} fields; the table holds at most ${FIELDS.length}`);
  }
  const row = { ptype } as CasbinRuleRow;
  FIELDS.forEach((field, i) => {
    row[field] = i < rule.length ? (rule[i] as string) : '';
  });
  return row;
}

/** Adds a row to its assertion, cut back to the assertion's width (trailing padding '' dropped). */
function loadRow(model: Model, row: CasbinRuleRow): void {
  const ast = model.model.get(row.ptype.charAt(0))?.get(row.ptype);
  if (!ast) return; // a ptype the model does not define
  const width = ast.value.split(',').length;
  const values = FIELDS.map((f) => row[f]);
  let n = values.length;
  while (n > width && values[n - 1] === '') n--;
  ast.policy.push(values.slice(0, n));
}

async function insertRows(db: Knex | Knex.Transaction, table: string, rows: CasbinRuleRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    // idempotent: a rule already stored (say by another instance) is not an error
    await db(table)
      .insert(rows.slice(i, i + CHUNK))
      .onConflict([...COLUMNS])
      .ignore();
  }
}
