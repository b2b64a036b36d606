import type { Application } from '../../../src/domain/application/application.entity.js';
import type { ProcessDefinition } from '../../../src/domain/process-definition/process-definition.js';
import { InMemoryHall } from '../../fakes/in-memory-hall.js';
import { ApplicationMother, type ApplicationWorld } from '../../mothers/application.mother.js';
import { PersonMother, RoleMother, UnitMother } from '../../mothers/organisation.mother.js';
import { HandlersMother, NodeMother, ProcessDefinitionMother } from '../../mothers/process-definition.mother.js';
import { ServiceItemMother, ServiceVersionMother } from '../../mothers/service-item.mother.js';

/** The people of the stories: a student applicant and the finance office that handles reimbursements. */
export const cast = {
  applicant: PersonMother.student({ id: '2026110101', name: '张三' }),
  /** unit-service-admin of finance */
  admin: PersonMother.staff({ id: 'T0301', name: '郑财务' }),
  /** handler of finance (the review pool) */
  handler: PersonMother.staff({ id: 'T0302', name: '孙财务' }),
  /** handler of finance too, and the named person of the last step */
  colleague: PersonMother.staff({ id: 'T0303', name: '钱会计' }),
  /** unit-service-admin of academic affairs (an involved unit of some items) */
  aaAdmin: PersonMother.staff({ id: 'T0101', name: '陈教务', unit: 'academic-affairs' }),
  /** active staff of another unit, with no role */
  outsider: PersonMother.staff({ id: 'T0601', name: '林后勤', unit: 'logistics' }),
  /** auditor (global): reads every application */
  auditor: PersonMother.staff({ id: 'T0003', name: '赵审计', unit: 'it-office' }),
  itOffice: PersonMother.staff({ id: 'T0002', name: '李信息', unit: 'it-office' }),
  presidentOffice: PersonMother.staff({ id: 'T0001', name: '王校办', unit: 'president-office' }),
};

/** apply -> check (the finance pool; may fill in the invoice number) -> done (the colleague, by name). */
export const reimbursement = (): ProcessDefinition =>
  ProcessDefinitionMother.create({
    steps: [NodeMother.review({ key: 'check', name: '财务审核', fields: { editable: ['invoice_no'] } })],
    complete: NodeMother.complete({ name: '办结', handlers: HandlersMother.people(cast.colleague.id) }),
  });

/** A hall with the university's units and roles, and the cast holding their roles. */
export function hallWithCast(o: { email?: boolean } = {}): InMemoryHall {
  const hall = new InMemoryHall({ email: o.email });
  hall.seed.units(...UnitMother.university());
  hall.seed.roles(...RoleMother.hall());
  hall.seed.people(...Object.values(cast));
  hall.seed.grant(cast.admin.id, 'unit-service-admin', 'finance');
  hall.seed.grant(cast.aaAdmin.id, 'unit-service-admin', 'academic-affairs');
  hall.seed.grant(cast.handler.id, 'handler', 'finance');
  hall.seed.grant(cast.colleague.id, 'handler', 'finance');
  hall.seed.grant(cast.auditor.id, 'auditor', '*');
  hall.seed.grant(cast.itOffice.id, 'it-office', '*');
  hall.seed.grant(cast.presidentOffice.id, 'president-office', '*');
  return hall;
}

/** The cast's hall with one online item (owned by finance) on a version with `definition`. */
export function hallWithItem(o: { definition?: ProcessDefinition; email?: boolean; involvedUnits?: string[] } = {}) {
  const hall = hallWithCast(o);
  const definition = o.definition ?? reimbursement();
  const itemId = globalThis.crypto.randomUUID();
  const version = ServiceVersionMother.online({ itemId, definition });
  const item = ServiceItemMother.online({
    id: itemId,
    code: 'CW-CLBX',
    name: '差旅费报销',
    onlineVersionId: version.id,
    involvedUnits: o.involvedUnits ?? ['finance'],
  });
  hall.seed.item(item);
  hall.seed.version(version);

  /** What ApplicationMother needs, with the pools as the roles stand now. */
  const world = (applicant = cast.applicant): ApplicationWorld => {
    const pools: Record<string, string[]> = {};
    for (const a of hall.db.state.roleAssignments) (pools[`${a.role}@${a.unit}`] ??= []).push(a.subject);
    return { itemId: item.id, owningUnit: item.owningUnit, versionId: version.id, definition, applicant, pools };
  };
  /** Stores an application built by `make` and returns it as stored. */
  const stored = (make: (w: ApplicationWorld) => Application, applicant = cast.applicant): Application => {
    const a = make(world(applicant));
    hall.seed.application(a);
    return a;
  };
  return {
    hall,
    item,
    version,
    definition,
    world,
    stored,
    submitted: () => stored((w) => ApplicationMother.submitted(w)),
  };
}

/** The open task of a node (the first, when several). */
export function openTask(a: Pick<Application, 'tasks'>, node: string, assignee?: string | null) {
  const t = a.tasks.find(
    (x) => x.nodeKey === node && x.status === 'open' && (assignee === undefined || x.assignee === assignee),
  );
  if (!t) throw new Error(`no open task at '${node}'${assignee === undefined ? '' : ` for ${assignee}`}`);
  return t;
}
