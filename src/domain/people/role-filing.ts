import { InputError, type ConflictError, type FieldProblem } from '../shared/errors.js';
import { decideOnce, type DecisionInput, type DecisionState, type OfficeDecision } from '../shared/office-decision.js';
import { err, ok, type Result } from '../shared/result.js';

/**
 * 备案 (Art. 4(3)2, 6): a unit's service admin decides who handles the nodes of its items and files
 * it with the IT Office; the IT Office grants the role from the filing (accepted) or refuses it
 * with a reason. A refused filing grants nothing.
 */
export const ROLE_FILING_STATES = ['pending', 'accepted', 'refused'] as const satisfies readonly DecisionState[];
export type RoleFilingState = DecisionState;

/** The nodes of one item a filed person is to handle; no nodes: every node of the item the role handles. */
export interface FiledItem {
  itemId: string;
  nodes: string[];
}

export interface RoleFilingProps {
  id: string;
  /** The person the role is for. */
  subject: string;
  role: string;
  /** The filing unit, where the role is held. */
  unit: string;
  items: FiledItem[];
  reason: string;
  /** The training certification attached, for a role that needs one (Art. 17). */
  certificationId: string | null;
  state: RoleFilingState;
  filedBy: string;
  filedAt: string;
  decision: OfficeDecision | null;
}

export const MAX_FILED_ITEMS = 50;

export class RoleFiling {
  private constructor(private readonly props: RoleFilingProps) {}

  static restore(props: RoleFilingProps): RoleFiling {
    return new RoleFiling(structuredClone(props));
  }

  /** A new filing; its items and nodes are checked against the unit's items by the caller. */
  static file(i: {
    id: string;
    subject: string;
    role: string;
    unit: string;
    items: readonly FiledItem[];
    reason: string;
    certificationId: string | null;
    by: string;
    at: Date;
  }): Result<RoleFiling, InputError> {
    const problems: FieldProblem[] = [];
    if (!i.reason.trim()) problems.push({ path: '/reason', message: 'must not be blank' });
    if (i.items.length > MAX_FILED_ITEMS)
      problems.push({ path: '/items', message: `at most ${MAX_FILED_ITEMS} items in one filing` });
    i.items.forEach((item, n) => {
      if (i.items.findIndex((x) => x.itemId === item.itemId) !== n)
        problems.push({ path: `/items/${n}/itemId`, message: 'the item is listed twice' });
      item.nodes.forEach((node, k) => {
        if (item.nodes.indexOf(node) !== k)
          problems.push({ path: `/items/${n}/nodes/${k}`, message: `node '${node}' is listed twice` });
      });
    });
    if (problems.length) return err(new InputError('ROLE_FILING.INVALID', 'the filing is incomplete', problems));
    return ok(
      new RoleFiling({
        id: i.id,
        subject: i.subject,
        role: i.role,
        unit: i.unit,
        items: i.items.map((x) => ({ itemId: x.itemId, nodes: [...x.nodes] })),
        reason: i.reason,
        certificationId: i.certificationId,
        state: 'pending',
        filedBy: i.by,
        filedAt: i.at.toISOString(),
        decision: null,
      }),
    );
  }

  get id(): string {
    return this.props.id;
  }
  get subject(): string {
    return this.props.subject;
  }
  get role(): string {
    return this.props.role;
  }
  get unit(): string {
    return this.props.unit;
  }
  get state(): RoleFilingState {
    return this.props.state;
  }

  snapshot(): RoleFilingProps {
    return structuredClone(this.props);
  }

  /** The IT Office accepts (the role is granted from this filing) or refuses with its reason (nothing is). */
  decide(input: DecisionInput, by: string, at: Date): Result<void, ConflictError | InputError> {
    return decideOnce(this.props, 'ROLE_FILING', input, by, at);
  }
}
