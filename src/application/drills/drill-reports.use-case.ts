import type { DrillReport } from '../../domain/drill/drill-report.js';
import { NotFoundError, type NotAllowedError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { DrillReportReader, DrillReportSummary } from '../ports/drill-reports.port.js';
import { ALL_UNITS, type PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { authorize } from '../shared/authorize.js';
import { recordChange } from '../shared/record-change.js';

/**
 * Emergency drills on record (Art. 4(2)5, 4(3)4): only the IT Office runs one — asked before any
 * fault is injected — and each report is stored with its audit entry in one transaction; the IT
 * Office, the auditors and the President's Office read them.
 */
export class DrillReportsUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; reader: DrillReportReader; enforcer: PolicyEnforcer }) {}

  /** Whether the actor may run a drill at all: asked before the drill starts. */
  mayRun(actor: Actor): Promise<Result<void, NotAllowedError>> {
    return authorize(this.deps.enforcer, actor, { unit: ALL_UNITS, object: 'drill', action: 'run' });
  }

  async record(actor: Actor, report: DrillReport): Promise<Result<DrillReport, NotAllowedError>> {
    const allowed = await this.mayRun(actor);
    if (!allowed.ok) return allowed;
    const stored: DrillReport = { ...report, runBy: actor.personId };
    await this.deps.uow.run(async (scope) => {
      await scope.drillReports.add(stored);
      await recordChange(scope, {
        actor,
        action: 'drill.recorded',
        entityType: 'drill',
        entityId: stored.id,
        unit: null,
        before: null,
        after: {
          scenario: stored.scenario,
          mode: stored.mode,
          startedAt: stored.startedAt,
          finishedAt: stored.finishedAt,
          verdict: stored.verdict,
          reasons: stored.reasons,
        },
        at: new Date(stored.finishedAt),
        event: { scenario: stored.scenario, mode: stored.mode, verdict: stored.verdict },
      });
    });
    return ok(stored);
  }

  async list(
    actor: Actor,
    o: { scenario?: string; limit?: number } = {},
  ): Promise<Result<DrillReportSummary[], NotAllowedError>> {
    const allowed = await authorize(this.deps.enforcer, actor, { unit: ALL_UNITS, object: 'drill', action: 'read' });
    if (!allowed.ok) return allowed;
    return ok(await this.deps.reader.list({ scenario: o.scenario, limit: Math.min(Math.max(o.limit ?? 50, 1), 500) }));
  }

  async show(actor: Actor, id: string): Promise<Result<DrillReport, NotAllowedError | NotFoundError>> {
    const allowed = await authorize(this.deps.enforcer, actor, { unit: ALL_UNITS, object: 'drill', action: 'read' });
    if (!allowed.ok) return allowed;
    const report = /^[0-9a-f-]{36}$/i.test(id) ? await this.deps.reader.get(id) : null;
    return report ? ok(report) : err(new NotFoundError('DRILL.NOT_FOUND', `no drill report '${id}'`));
  }
}
