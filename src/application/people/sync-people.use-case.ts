import { ConflictError, type NotAllowedError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import type { Directory } from '../ports/directory.port.js';
import type { Organisation, Person } from '../ports/organisation.port.js';
import { ALL_UNITS, type PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { authorize } from '../shared/authorize.js';
import { recordChange } from '../shared/record-change.js';
import { offboardInScope, type HandoverReport } from './offboard-person.use-case.js';
import { changePostInScope, type PostChangeReport } from './change-post.use-case.js';

export interface SyncReport {
  added: string[];
  updated: Array<{ id: string; fields: string[] }>;
  /** People who stopped being active: roles revoked, sessions ended, work handed back to the pools. */
  offboarded: HandoverReport[];
  /** Active people whose unit changed: their roles in the old unit revoked, its work handed back to its pools. */
  moved: PostChangeReport[];
  unchanged: number;
  /** Directory entries in units the hall does not know: left out, never guessed. */
  skipped: Array<{ id: string; reason: string }>;
}

const FIELDS = ['name', 'type', 'unit', 'status', 'email'] as const;

/**
 * `hall people sync`: applies the directory to the hall's people, idempotently (a second run changes
 * nothing), in one audited transaction. People absent from the directory are left as they are: a
 * partial export must not disable anyone. Someone who stops being active is offboarded; an active
 * person whose unit changed leaves the old unit's roles and work (a change of post).
 */
export class SyncPeopleUseCase {
  constructor(
    private readonly deps: {
      uow: UnitOfWork;
      enforcer: PolicyEnforcer;
      organisation: Organisation;
      directory: Directory;
      clock: Clock;
    },
  ) {}

  async execute(input: { actor: Actor }): Promise<Result<SyncReport, NotAllowedError | ConflictError>> {
    const allowed = await authorize(this.deps.enforcer, input.actor, {
      unit: ALL_UNITS,
      object: 'role-assignment',
      action: 'grant',
    });
    if (!allowed.ok) return allowed;
    let incoming: Person[];
    try {
      incoming = await this.deps.directory.people();
    } catch (e) {
      return err(new ConflictError('DIRECTORY.UNREADABLE', e instanceof Error ? e.message : String(e)));
    }
    const units = new Set((await this.deps.organisation.units()).map((u) => u.key));
    const at = this.deps.clock.now();
    return this.deps.uow.run(async (scope) => {
      const current = new Map((await scope.personnel.all()).map((p) => [p.id, p]));
      const report: SyncReport = { added: [], updated: [], offboarded: [], moved: [], unchanged: 0, skipped: [] };
      for (const p of incoming) {
        if (!units.has(p.unit)) {
          report.skipped.push({ id: p.id, reason: `unknown unit '${p.unit}'` });
          continue;
        }
        const before = current.get(p.id);
        if (!before) {
          await scope.personnel.upsert(p, at);
          report.added.push(p.id);
          continue;
        }
        const fields = FIELDS.filter((f) => (before[f] ?? null) !== (p[f] ?? null));
        if (!fields.length) {
          report.unchanged++;
          continue;
        }
        const leaving = before.status === 'active' && p.status !== 'active';
        await scope.personnel.upsert(leaving ? { ...p, status: before.status } : p, at);
        if (leaving)
          report.offboarded.push(
            await offboardInScope(
              scope,
              input.actor,
              { ...before, ...p, status: before.status },
              p.status as HandoverReport['status'],
              null,
              at,
            ),
          );
        else if (before.status === 'active' && before.unit !== p.unit)
          report.moved.push(
            await changePostInScope(scope, input.actor, before, p.unit, null, 'the directory changed their unit', at),
          );
        report.updated.push({ id: p.id, fields });
      }
      await recordChange(scope, {
        actor: input.actor,
        action: 'people.synced',
        entityType: 'directory',
        entityId: 'people',
        unit: null,
        before: null,
        at,
        after: {
          added: report.added,
          updated: report.updated,
          offboarded: report.offboarded.map((o) => o.personId),
          moved: report.moved.map((m) => m.personId),
          skipped: report.skipped,
        },
      });
      scope.afterCommit(() => this.deps.enforcer.refresh());
      return ok(report);
    });
  }
}
