import {
  DEFINITIONS_VERSION,
  checkYear,
  evaluationWindow,
  figuresOf,
  workingDayIndex,
  type EvaluationRow,
  type EvaluationWindow,
  type Figures,
} from '../../domain/evaluation/annual-evaluation.js';
import type { WorkingCalendar } from '../../domain/calendar/working-calendar.js';
import { InputError, NotAllowedError, NotFoundError, type FieldProblem } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import {
  EVALUATION_FORMATS,
  type EvaluatedItem,
  type EvaluatedUnit,
  type EvaluationDocument,
  type EvaluationExportRecord,
  type EvaluationExportRecords,
  type EvaluationFigures,
  type EvaluationFormat,
  type EvaluationRenderer,
} from '../ports/evaluation-figures.port.js';
import type { Sha256 } from '../ports/hasher.port.js';
import { ALL_UNITS, type PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';

export interface EvaluationFiguresView {
  year: number;
  unit: EvaluatedUnit | null;
  asOf: string;
  provisional: boolean;
  definitionsVersion: string;
  /** null when restricted to one unit (the unit row is the total). */
  university: Figures | null;
  units: Array<{ unit: EvaluatedUnit; figures: Figures }>;
  items: Array<{ unit: EvaluatedUnit; item: EvaluatedItem; figures: Figures }>;
}

export interface EvaluationExportView {
  id: string;
  year: number;
  unit: string | null;
  format: EvaluationFormat;
  asOf: string;
  provisional: boolean;
  sha256: string;
  size: number;
  exportedBy: string;
  exportedAt: string;
}

/** The manifest written beside an exported file: no wall-clock time, so it is reproducible too. */
export interface EvaluationManifest {
  file: string;
  format: EvaluationFormat;
  sha256: string;
  size: number;
  year: number;
  unit: string | null;
  asOf: string;
  provisional: boolean;
  definitionsVersion: string;
}

export interface EvaluationExport {
  filing: EvaluationExportView;
  bytes: Uint8Array;
  fileName: string;
  mediaType: string;
  manifest: EvaluationManifest;
}

const view = (r: EvaluationExportRecord): EvaluationExportView => ({
  id: r.id,
  year: r.year,
  unit: r.unitKey,
  format: r.format,
  asOf: r.asOf.toISOString(),
  provisional: r.provisional,
  sha256: r.sha256,
  size: r.size,
  exportedBy: r.exportedBy,
  exportedAt: r.exportedAt.toISOString(),
});

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/**
 * 年度效能评估 (Regulation Art. 18): the figures of a year per university, unit and item
 * (docs/evaluation.md), read by the President's Office, the IT Office and auditors, and exported as
 * a file (XLSX or CSV) by the two offices. Each export is filed (备案: year, scope, as-of, hash)
 * with its audit entry in one transaction; the same year exported again after it is over gives the
 * same bytes, so a filed hash proves which file was handed to the HR Office.
 */
export class AnnualEvaluationUseCase {
  constructor(
    private readonly deps: {
      figures: EvaluationFigures;
      records: EvaluationExportRecords;
      renderers: readonly EvaluationRenderer[];
      calendar: WorkingCalendar;
      sha256: Sha256;
      enforcer: PolicyEnforcer;
      uow: UnitOfWork;
      clock: Clock;
    },
  ) {}

  async figures(input: {
    actor: Actor;
    year: number;
    unitKey?: string;
  }): Promise<Result<EvaluationFiguresView, NotAllowedError | InputError>> {
    const allowed = await this.allowed(input.actor, 'read');
    if (!allowed.ok) return allowed;
    const checked = await this.check(input.year, input.unitKey, undefined);
    if (!checked.ok) return checked;
    const doc = await this.document(checked.value.window, checked.value.unit);
    const of = (level: EvaluationRow['level']) => doc.rows.filter((r) => r.level === level);
    return ok({
      year: doc.year,
      unit: doc.unit,
      asOf: doc.asOf.toISOString(),
      provisional: doc.provisional,
      definitionsVersion: doc.definitionsVersion,
      university: of('university')[0]?.figures ?? null,
      units: of('unit').map((r) => ({ unit: r.unit!, figures: r.figures })),
      items: of('item').map((r) => ({ unit: r.unit!, item: r.item!, figures: r.figures })),
    });
  }

  async export(input: {
    actor: Actor;
    year: number;
    unitKey?: string;
    format: string;
  }): Promise<Result<EvaluationExport, NotAllowedError | InputError>> {
    const allowed = await this.allowed(input.actor, 'export');
    if (!allowed.ok) return allowed;
    const checked = await this.check(input.year, input.unitKey, input.format);
    if (!checked.ok) return checked;
    const { window, unit } = checked.value;
    const renderer = this.deps.renderers.find((r) => r.format === input.format)!;
    const doc = await this.document(window, unit);
    const bytes = await renderer.render(doc);
    const sha256 = hex(this.deps.sha256.digest(bytes));
    const at = this.deps.clock.now();
    const record: EvaluationExportRecord = {
      id: globalThis.crypto.randomUUID(),
      year: window.year,
      unitKey: unit?.key ?? null,
      format: renderer.format,
      asOf: window.asOf,
      provisional: window.provisional,
      sha256,
      size: bytes.byteLength,
      exportedBy: input.actor.personId,
      exportedAt: at,
    };
    await this.deps.uow.run(async (scope) => {
      await scope.evaluationExports.add(record);
      // the filing is the hall's own record, not an event for the data platform: an audit entry only
      await scope.audit.record({
        actorId: input.actor.personId,
        action: 'evaluation.exported',
        entityType: 'evaluation-export',
        entityId: record.id,
        unit: record.unitKey,
        before: null,
        after: view(record),
        requestId: input.actor.requestId,
        at,
      });
    });
    const fileName = `evaluation-${window.year}${unit ? `-${unit.key}` : ''}.${renderer.format}`;
    return ok({
      filing: view(record),
      bytes,
      fileName,
      mediaType: renderer.mediaType,
      manifest: {
        file: fileName,
        format: renderer.format,
        sha256,
        size: bytes.byteLength,
        year: window.year,
        unit: record.unitKey,
        asOf: window.asOf.toISOString(),
        provisional: window.provisional,
        definitionsVersion: DEFINITIONS_VERSION,
      },
    });
  }

  async list(input: {
    actor: Actor;
    year?: number;
    limit: number;
  }): Promise<Result<{ items: EvaluationExportView[] }, NotAllowedError>> {
    const allowed = await this.allowed(input.actor, 'read');
    if (!allowed.ok) return allowed;
    return ok({ items: (await this.deps.records.list({ year: input.year, limit: input.limit })).map(view) });
  }

  async get(input: {
    actor: Actor;
    id: string;
  }): Promise<Result<EvaluationExportView, NotAllowedError | NotFoundError>> {
    const allowed = await this.allowed(input.actor, 'read');
    if (!allowed.ok) return allowed;
    const found = await this.deps.records.find(input.id);
    if (!found)
      return err(new NotFoundError('EVALUATION_EXPORT.NOT_FOUND', `evaluation export '${input.id}' does not exist`));
    return ok(view(found));
  }

  private async allowed(actor: Actor, action: 'read' | 'export'): Promise<Result<void, NotAllowedError>> {
    if (await this.deps.enforcer.can({ subject: actor.personId, unit: ALL_UNITS, object: 'evaluation', action }))
      return ok(undefined);
    return err(
      new NotAllowedError(
        'AUTH.FORBIDDEN',
        action === 'export'
          ? "only the President's Office and the IT Office export the annual evaluation"
          : "only the President's Office, the IT Office and auditors read the annual evaluation",
      ),
    );
  }

  /** Every offending field at once: the year, the unit, the format. */
  private async check(
    year: number,
    unitKey: string | undefined,
    format: string | undefined,
  ): Promise<Result<{ window: EvaluationWindow; unit: EvaluatedUnit | null }, InputError>> {
    const now = this.deps.clock.now();
    const problems: FieldProblem[] = [];
    const y = checkYear(year, now);
    if (!y.ok) problems.push(...y.error.problems);
    const unit = unitKey === undefined ? null : await this.deps.figures.unit(unitKey);
    if (unitKey !== undefined && !unit) problems.push({ path: '/unit', message: `no unit '${unitKey}'` });
    if (format !== undefined && !EVALUATION_FORMATS.includes(format as EvaluationFormat))
      problems.push({ path: '/format', message: `one of ${EVALUATION_FORMATS.join(', ')}` });
    if (problems.length)
      return err(new InputError('EVALUATION.BAD_REQUEST', 'the evaluation cannot be made as asked', problems));
    return ok({ window: evaluationWindow(year, now), unit });
  }

  private async document(window: EvaluationWindow, unit: EvaluatedUnit | null): Promise<EvaluationDocument> {
    const { calendar } = this.deps;
    // handling times run from a submission in the year to an end before as-of
    const lastDay = calendar.civilDate(new Date(window.asOf.getTime() - 1));
    const counts = await this.deps.figures.counts({
      from: window.from,
      asOf: window.asOf,
      unitKey: unit?.key ?? null,
      calendar: workingDayIndex(calendar, calendar.civilDate(window.from), lastDay),
    });
    const rows: EvaluationRow[] = [
      ...(unit
        ? []
        : [{ level: 'university' as const, unit: null, item: null, figures: figuresOf(counts.university) }]),
      ...counts.units.map((u) => ({ level: 'unit' as const, unit: u.unit, item: null, figures: figuresOf(u.counts) })),
      ...counts.items.map((i) => ({
        level: 'item' as const,
        unit: i.unit,
        item: i.item,
        figures: figuresOf(i.counts),
      })),
    ];
    return {
      year: window.year,
      unit,
      asOf: window.asOf,
      provisional: window.provisional,
      definitionsVersion: DEFINITIONS_VERSION,
      rows,
    };
  }
}
