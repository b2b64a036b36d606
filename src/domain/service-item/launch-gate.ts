import type { HandlerRule, ProcessDefinition } from '../process-definition/process-definition.js';
import type { FieldProblem } from '../shared/errors.js';

/**
 * The launch gate (Art. 10): a version goes online only when every involved unit has confirmed it,
 * every node resolves to at least one active person holding the needed role, and every business
 * system its transfer nodes call is configured in this hall. Its form must also pass today's checks
 * of a form (a definition saved before a check existed is held to it here).
 */
export type GateShortfall =
  | { kind: 'definition'; message: string }
  | { kind: 'confirmation'; unit: string; message: string }
  | { kind: 'handler'; node: string; unit?: string; role?: string; message: string }
  | { kind: 'connector'; node: string; connector: string; message: string }
  | { kind: 'form'; path: string; message: string };

/** The transfer nodes that call a business system, with its connector id. */
export function connectorsUsed(definition: ProcessDefinition): Array<{ node: string; connector: string }> {
  return definition.nodes.flatMap((n) => (n.connector ? [{ node: n.key, connector: n.connector }] : []));
}

/** One thing the application layer must look up: who actively holds a role in a unit, or which named people are active. */
export type HandlerRequirement =
  { node: string; type: 'role'; role: string; unit: string } | { node: string; type: 'people'; people: string[] };

/**
 * Expands each node's handler rule into concrete look-ups. A rule over the applicant's college must
 * be satisfiable for every college; one over the applicant's own unit, for every unit.
 */
export function handlerRequirements(
  definition: ProcessDefinition,
  units: ReadonlyArray<{ key: string; kind: string }>,
): HandlerRequirement[] {
  const out: HandlerRequirement[] = [];
  for (const node of definition.nodes) {
    const rule: HandlerRule | undefined = node.handlers;
    if (!rule) continue;
    if (rule.type === 'people') {
      out.push({ node: node.key, type: 'people', people: [...rule.people] });
      continue;
    }
    const targets =
      rule.unit === '$applicant.college'
        ? units.filter((u) => u.kind === 'college').map((u) => u.key)
        : rule.unit === '$applicant.unit'
          ? units.map((u) => u.key)
          : [rule.unit];
    // a placeholder no unit matches stays as one requirement nobody can meet, never a vacuous pass
    for (const unit of targets.length ? targets : [rule.unit])
      out.push({ node: node.key, type: 'role', role: rule.role, unit });
  }
  return out;
}

export function evaluateLaunchGate(input: {
  involvedUnits: readonly string[];
  confirmedUnits: readonly string[];
  hasDefinition: boolean;
  /** Requirements with the number of active people found for each. */
  resolved: ReadonlyArray<{ requirement: HandlerRequirement; activeHandlers: number }>;
  /** The connectors the definition calls, and those configured in this hall. */
  connectors: { used: ReadonlyArray<{ node: string; connector: string }>; configured: ReadonlySet<string> };
  /** What the form schema checker finds wrong with the definition's form today. */
  formProblems?: readonly FieldProblem[];
}): GateShortfall[] {
  if (!input.hasDefinition) return [{ kind: 'definition', message: 'the version has no process definition' }];
  const missing: GateShortfall[] = [];
  for (const unit of input.involvedUnits) {
    if (!input.confirmedUnits.includes(unit)) {
      missing.push({ kind: 'confirmation', unit, message: `unit '${unit}' has not confirmed this version` });
    }
  }
  for (const { requirement: r, activeHandlers } of input.resolved) {
    if (activeHandlers > 0) continue;
    missing.push(
      r.type === 'role'
        ? {
            kind: 'handler',
            node: r.node,
            unit: r.unit,
            role: r.role,
            message: `node '${r.node}': nobody active holds role '${r.role}' in unit '${r.unit}'`,
          }
        : {
            kind: 'handler',
            node: r.node,
            message: `node '${r.node}': none of the named people (${r.people.join(', ')}) is active staff`,
          },
    );
  }
  for (const { node, connector } of input.connectors.used) {
    if (input.connectors.configured.has(connector)) continue;
    missing.push({
      kind: 'connector',
      node,
      connector,
      message: `node '${node}': no business-system connector '${connector}' is configured in this hall`,
    });
  }
  for (const p of input.formProblems ?? []) missing.push({ kind: 'form', path: p.path, message: p.message });
  return missing;
}
