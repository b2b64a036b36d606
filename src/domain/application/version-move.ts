import type { FieldProblem } from '../shared/errors.js';
import { InputError } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import {
  isGateway,
  nodeByKey,
  predecessors,
  type ProcessDefinition,
} from '../process-definition/process-definition.js';
import type { EngineContext } from './application-state.js';
import { conflict, type ActionError, type ApplicationRecord } from './application-record.js';
import { resume } from './process-run.js';
import { isLive } from './task.js';

/**
 * Moving a running application to a new version of its process (Camunda/Flowable migration). The
 * admin gives a node mapping, old key → new key; a step or join the mapping does not name keeps its
 * key, which the new process must then have. Every step the application waits at must land on a step,
 * every waiting join on a join; the live tasks move with their step, held by the same people. Passed
 * nodes follow the mapping and are kept where the new process has them (the targets of later returns).
 */
export function mappingProblems(
  from: ProcessDefinition,
  to: ProcessDefinition,
  mapping: Readonly<Record<string, string>>,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [key, target] of Object.entries(mapping)) {
    const path = `/mapping/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const old = nodeByKey(from, key);
    const now = nodeByKey(to, target);
    if (!old) problems.push({ path, message: `the old version has no node '${key}'` });
    else if (!now) problems.push({ path, message: `the new version has no node '${target}'` });
    else if (isGateway(old) !== isGateway(now) || (old.kind === 'start') !== (now.kind === 'start'))
      problems.push({ path, message: `'${key}' (${old.kind}) cannot become '${target}' (${now.kind})` });
  }
  return problems;
}

/** Where the application's live steps and waiting joins would go, or the problems, each at `path`. */
export function placesOf(
  r: ApplicationRecord,
  to: ProcessDefinition,
  mapping: Readonly<Record<string, string>>,
  path: string,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const place = (key: string, what: 'step' | 'join') => {
    const target = mapping[key] ?? key;
    const node = nodeByKey(to, target);
    const fits =
      node &&
      (what === 'step'
        ? !isGateway(node) && node.kind !== 'start'
        : isGateway(node) && predecessors(to, target).length > 1);
    if (!fits)
      problems.push({
        path,
        message: `it waits at ${what} '${key}': map it to a ${what} of the new version${mapping[key] ? ` ('${target}' is not one)` : ''}`,
      });
  };
  for (const k of r.props.activeNodes) place(k, 'step');
  for (const k of r.props.waitingJoins) place(k, 'join');
  return problems;
}

export function moveToVersion(
  r: ApplicationRecord,
  target: { versionId: string; definition: ProcessDefinition },
  mapping: Readonly<Record<string, string>>,
  person: string,
  reason: string,
  ctx: EngineContext,
): Result<void, ActionError> {
  const state = r.props.state;
  if (state !== 'in_progress' && state !== 'returned' && state !== 'draft')
    return conflict('APPLICATION.NOT_MOVABLE', `the application is ${state}`);
  if (target.versionId === r.props.versionId)
    return conflict('APPLICATION.NOT_MOVABLE', 'the application already runs on this version');
  const problems = [
    ...mappingProblems(r.definition, target.definition, mapping),
    ...placesOf(r, target.definition, mapping, '/mapping'),
  ];
  if (problems.length)
    return err(new InputError('APPLICATION.MAPPING_INVALID', 'the node mapping does not fit', problems));
  const to = (k: string) => mapping[k] ?? k;
  const from = r.props.versionId;
  const moved: Record<string, string> = {};
  for (const k of [...r.props.activeNodes, ...r.props.waitingJoins]) moved[k] = to(k);
  const activations = { ...r.props.activations };
  for (const t of r.props.tasks)
    if (isLive(t)) {
      const key = to(t.nodeKey);
      activations[key] = Math.max(activations[key] ?? 0, t.activation);
      if (key !== t.nodeKey) r.updateTask(t, { nodeKey: key });
    }
  r.runOn(target.versionId, target.definition);
  r.set('activations', activations);
  r.set(
    'passedNodes',
    [...new Set(r.props.passedNodes.map(to))].filter((k) => nodeByKey(target.definition, k)),
  );
  if (r.props.waitingJoins.length) r.set('waitingJoins', r.props.waitingJoins.map(to));
  r.log(
    { actor: person, action: 'moved-version', comment: reason, detail: { from, to: target.versionId, moved } },
    ctx.at,
  );
  if (state === 'in_progress') resume(r, ctx);
  r.touch(ctx.at);
  return ok(undefined);
}
