import type { TimeLimit } from '../../domain/process-definition/process-definition.js';
import {
  InputError,
  type ConflictError,
  type FieldProblem,
  type NotAllowedError,
  type NotFoundError,
} from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { BpmnConverter } from '../ports/bpmn.port.js';
import type { PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import type { DefineProcessUseCase } from './define-process.use-case.js';
import { loadOwnedItem } from './load.js';
import type { ServiceVersionView } from './service-item.view.js';

/** What the file holds that the hall cannot read or run: every such element at once (docs/bpmn.md). */
export const BPMN_UNSUPPORTED = 'PROCESS_DEFINITION.BPMN_UNSUPPORTED';

/**
 * 建设 from a drawing: a BPMN 2.0 file (bpmn.io, Camunda Modeler) becomes the process definition of
 * the draft version, through DefineProcessUseCase, so the same people may do it, with the same checks,
 * audit entry and event. The form is the file's `hall:form`, else the request's, else the draft's current one.
 * The validator's problems are reported at the BPMN element they come from (`/bpmn/<elementId>/...`).
 */
export class ImportBpmnUseCase {
  constructor(
    private readonly deps: {
      uow: UnitOfWork;
      enforcer: PolicyEnforcer;
      bpmn: BpmnConverter;
      defineProcess: Pick<DefineProcessUseCase, 'execute'>;
    },
  ) {}

  async execute(input: {
    actor: Actor;
    itemId: string;
    bpmn: string;
    form?: Record<string, unknown>;
    defaultTimeLimit?: TimeLimit;
  }): Promise<Result<ServiceVersionView, NotFoundError | NotAllowedError | ConflictError | InputError>> {
    const { uow, enforcer, bpmn, defineProcess } = this.deps;
    // who may define, before anything of the file is looked at; and the draft's form, if it comes to that
    const current = await uow.run(async (scope) => {
      const found = await loadOwnedItem(scope.serviceItems, enforcer, { ...input, action: 'define' });
      if (!found.ok) return found;
      const draft = await scope.serviceVersions.findDraft(found.value.id);
      return ok(draft?.definition?.form);
    });
    if (!current.ok) return current;

    const reading = await bpmn.fromBpmn(input.bpmn, { defaultTimeLimit: input.defaultTimeLimit });
    if (!reading.ok) return err(new InputError(BPMN_UNSUPPORTED, 'The BPMN file cannot be imported', reading.problems));
    const { definition, elementIds } = reading.draft;
    const form = definition.form ?? input.form ?? current.value;
    const defined = await defineProcess.execute({
      actor: input.actor,
      itemId: input.itemId,
      definition: form === undefined ? definition : { ...definition, form },
    });
    if (defined.ok || !(defined.error instanceof InputError)) return defined;
    const e = defined.error;
    return err(
      new InputError(
        e.code,
        e.message,
        e.problems.map((p) => atElement(p, elementIds)),
        e.details,
      ),
    );
  }
}

/** `/nodes/3/handlers/role` -> `/bpmn/Activity_1/handlers/role`: the element the node was drawn as. */
function atElement(problem: FieldProblem, elementIds: readonly string[]): FieldProblem {
  const m = /^\/nodes(?:\/(\d+))?(\/.*)?$/.exec(problem.path);
  if (!m) return problem;
  const id = m[1] === undefined ? undefined : elementIds[Number(m[1])];
  if (m[1] !== undefined && id === undefined) return problem;
  const element = id === undefined ? '' : `/${id.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  return { ...problem, path: `/bpmn${element}${m[2] ?? ''}` };
}
