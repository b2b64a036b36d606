import { InputError, type ConflictError, type FieldProblem } from '../shared/errors.js';
import { decideOnce, type DecisionInput, type DecisionState, type OfficeDecision } from '../shared/office-decision.js';
import { err, ok, type Result } from '../shared/result.js';

/**
 * 变更申请及变更需求 (Art. 11, 4(2)4): a unit that wants to change an online item files a request
 * with the IT Office, saying what changes and why; the IT Office accepts it (the draft version opens)
 * or refuses it with a reason. Only an accepted request opens a draft.
 */
export const CHANGE_ASPECTS = [
  'form', // 表单
  'process', // 流程节点
  'handlers', // 办理人
  'materials', // 材料
  'time-limit', // 办理时限
  'connectors', // 对接业务系统
  'description', // 办事指南
  'other',
] as const;
export type ChangeAspect = (typeof CHANGE_ASPECTS)[number];

export interface ChangeNeed {
  aspect: ChangeAspect;
  /** What is to change, in the unit's words. */
  description: string;
}

export const CHANGE_REQUEST_STATES = ['pending', 'accepted', 'refused'] as const satisfies readonly DecisionState[];
export type ChangeRequestState = DecisionState;

export interface ChangeRequestProps {
  id: string;
  itemId: string;
  /** The unit that owns the item and files the request. */
  unit: string;
  state: ChangeRequestState;
  /** Why the item changes. */
  reason: string;
  /** What changes. */
  needs: ChangeNeed[];
  requestedBy: string;
  requestedAt: string;
  decision: OfficeDecision | null;
  /** The draft version an accepted request opened. */
  versionId: string | null;
}

export const MAX_CHANGE_NEEDS = 20;

function checkNeeds(needs: readonly ChangeNeed[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!needs.length) problems.push({ path: '/needs', message: 'say what changes: at least one need' });
  if (needs.length > MAX_CHANGE_NEEDS)
    problems.push({ path: '/needs', message: `at most ${MAX_CHANGE_NEEDS} needs in one request` });
  needs.forEach((n, i) => {
    if (!(CHANGE_ASPECTS as readonly string[]).includes(n.aspect))
      problems.push({ path: `/needs/${i}/aspect`, message: `one of ${CHANGE_ASPECTS.join(', ')}` });
    if (!n.description.trim()) problems.push({ path: `/needs/${i}/description`, message: 'must not be blank' });
  });
  return problems;
}

export class ChangeRequest {
  private constructor(private readonly props: ChangeRequestProps) {}

  static restore(props: ChangeRequestProps): ChangeRequest {
    return new ChangeRequest(structuredClone(props));
  }

  static file(i: {
    id: string;
    itemId: string;
    unit: string;
    reason: string;
    needs: readonly ChangeNeed[];
    by: string;
    at: Date;
  }): Result<ChangeRequest, InputError> {
    const problems = checkNeeds(i.needs);
    if (!i.reason.trim()) problems.unshift({ path: '/reason', message: 'must not be blank' });
    if (problems.length)
      return err(new InputError('CHANGE_REQUEST.INVALID', 'the change request is incomplete', problems));
    return ok(
      new ChangeRequest({
        id: i.id,
        itemId: i.itemId,
        unit: i.unit,
        state: 'pending',
        reason: i.reason,
        needs: i.needs.map((n) => ({ aspect: n.aspect, description: n.description })),
        requestedBy: i.by,
        requestedAt: i.at.toISOString(),
        decision: null,
        versionId: null,
      }),
    );
  }

  get id(): string {
    return this.props.id;
  }
  get itemId(): string {
    return this.props.itemId;
  }
  get unit(): string {
    return this.props.unit;
  }
  get state(): ChangeRequestState {
    return this.props.state;
  }

  snapshot(): ChangeRequestProps {
    return structuredClone(this.props);
  }

  /** The IT Office accepts (the draft version `versionId` opens for the change) or refuses with its reason. */
  decide(input: DecisionInput, by: string, at: Date, versionId: string): Result<void, ConflictError | InputError> {
    const decided = decideOnce(this.props, 'CHANGE_REQUEST', input, by, at);
    if (decided.ok && input.decision === 'accept') this.props.versionId = versionId;
    return decided;
  }
}
