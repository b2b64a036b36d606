import type { BpmnModdle, ModdleElement } from 'bpmn-moddle';
import { MAX_NODES, STEP_KINDS, type TimeLimit } from '../../../domain/process-definition/process-definition.js';
import type { FieldProblem } from '../../../domain/shared/errors.js';
import type { BpmnReading } from '../../../application/ports/bpmn.port.js';
import { CAMUNDA_NS, JSON_LOGIC_LANGUAGE } from './hall-moddle.js';
import { juelToJsonLogic } from './juel.js';

const TASK_TYPES = new Set(['bpmn:UserTask', 'bpmn:Task', 'bpmn:ManualTask']);
const GATEWAY_KINDS: Record<string, string> = {
  'bpmn:ExclusiveGateway': 'exclusive',
  'bpmn:ParallelGateway': 'parallel',
  'bpmn:InclusiveGateway': 'inclusive',
};
/** Flow elements that describe data, not flow: ignored (as are lanes, text annotations and groups). */
const IGNORED = new Set(['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);
/** Why a refused element cannot be run by the hall, by BPMN type. */
const REFUSED: Record<string, string> = {
  'bpmn:BoundaryEvent':
    'boundary events (timers, escalations, errors on a task) are not supported: time limits are hall:timeLimit',
  'bpmn:IntermediateCatchEvent': 'intermediate events (timers, messages, signals) are not supported',
  'bpmn:IntermediateThrowEvent': 'intermediate events (messages, signals, escalations) are not supported',
  'bpmn:SubProcess': 'subprocesses are not supported: draw the steps in the process itself',
  'bpmn:AdHocSubProcess': 'ad-hoc subprocesses are not supported',
  'bpmn:Transaction': 'transactions are not supported',
  'bpmn:CallActivity': 'call activities are not supported: a process cannot call another',
  'bpmn:ServiceTask':
    'service tasks are not supported: use a userTask with hall:kind="transfer" and a connector in hall:step',
  'bpmn:ScriptTask': 'script tasks are not supported: the hall runs no scripts',
  'bpmn:BusinessRuleTask': 'business rule tasks are not supported',
  'bpmn:SendTask': 'send tasks are not supported',
  'bpmn:ReceiveTask': 'receive tasks are not supported',
  'bpmn:EventBasedGateway': 'event-based gateways are not supported: use an exclusive gateway with conditions',
  'bpmn:ComplexGateway': 'complex gateways are not supported: use an inclusive gateway',
};
const MAX_JSON_DEPTH = 64;
const RATIO = /^\s*\$\{\s*nrOfCompletedInstances\s*\/\s*nrOfInstances\s*>=\s*(\d+(?:\.\d+)?)\s*\}\s*$/;

type Problems = FieldProblem[];
const at = (id: string, member?: string): string =>
  `/bpmn/${id.replace(/~/g, '~0').replace(/\//g, '~1')}${member ? `/${member}` : ''}`;
const localType = (type: string): string => {
  const name = type.replace(/^bpmn:/, '');
  return name.charAt(0).toLowerCase() + name.slice(1);
};

/**
 * BPMN 2.0 XML -> the hall's `{ form?, nodes }`, or every reason why not (docs/bpmn.md). The result
 * still goes through the process-definition validator.
 */
export async function importBpmn(
  moddle: BpmnModdle,
  xml: string,
  options: { defaultTimeLimit?: TimeLimit },
): Promise<BpmnReading> {
  const fail = (message: string): BpmnReading => ({ ok: false, problems: [{ path: '/bpmn', message }] });
  if (xml.trim() === '') return fail('is empty: a BPMN 2.0 XML document is expected');
  // the parser expands no entities, but a DOCTYPE has no business in BPMN: refuse XXE and entity bombs outright
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) return fail('a DOCTYPE or entity declaration is not allowed');

  let parsed;
  try {
    parsed = await moddle.fromXML(xml);
  } catch (e) {
    return fail(`is not a readable BPMN 2.0 XML document: ${firstLine(e)}`);
  }
  const definitions = parsed.rootElement;
  if (definitions?.$type !== 'bpmn:Definitions') return fail('the root element must be bpmn:definitions');
  const problems: Problems = [];
  for (const w of parsed.warnings) {
    if (!/^unknown attribute/.test(w.message)) problems.push({ path: '/bpmn', message: firstLine(w) });
  }

  const roots = (definitions.rootElements as ModdleElement[] | undefined) ?? [];
  const processes = roots.filter((r) => r.$type === 'bpmn:Process');
  for (const c of roots.filter((r) => r.$type === 'bpmn:Collaboration')) {
    const participants = (c.participants as ModdleElement[] | undefined) ?? [];
    if (participants.length > 1 || ((c.messageFlows as unknown[] | undefined) ?? []).length > 0)
      problems.push({
        path: at(c.id ?? 'collaboration'),
        message: 'several pools or message flows are not supported: one process',
      });
  }
  if (processes.length === 0) return fail('has no process');
  for (const extra of processes.slice(1))
    problems.push({ path: at(extra.id ?? 'process'), message: 'only one process is supported per file' });
  const process = processes[0]!;
  const elements = (process.flowElements as ModdleElement[] | undefined) ?? [];
  const flowNodes = elements.filter((e) => e.$type !== 'bpmn:SequenceFlow' && !IGNORED.has(e.$type));
  if (flowNodes.length > MAX_NODES * 2 || elements.length > MAX_NODES * 6)
    return fail(
      `has ${flowNodes.length} flow nodes and ${elements.length} flow elements: a process has at most ${MAX_NODES} nodes`,
    );

  const camunda = camundaPrefix(definitions);
  const attr = (e: ModdleElement, name: string): string | undefined =>
    camunda ? e.$attrs?.[`${camunda}:${name}`] : undefined;

  // what each element is
  const ends = new Set<string>();
  const nodes: ModdleElement[] = [];
  for (const e of flowNodes) {
    const id = e.id ?? '';
    const defs = (e.eventDefinitions as ModdleElement[] | undefined) ?? [];
    if (REFUSED[e.$type]) {
      problems.push({ path: at(id), message: `<${localType(e.$type)}> ${REFUSED[e.$type]}` });
    } else if (e.$type === 'bpmn:StartEvent' || e.$type === 'bpmn:EndEvent') {
      if (defs.length) {
        const what = defs.map((d) => localType(d.$type).replace(/EventDefinition$/, '')).join(', ');
        problems.push({
          path: at(id),
          message: `a ${what} ${e.$type === 'bpmn:StartEvent' ? 'start' : 'end'} event is not supported: only plain start and end events`,
        });
      } else if (e.$type === 'bpmn:EndEvent') ends.add(id);
      else nodes.push(e);
    } else if (TASK_TYPES.has(e.$type) || GATEWAY_KINDS[e.$type]) {
      nodes.push(e);
    } else {
      problems.push({ path: at(id), message: `<${localType(e.$type)}> is not supported` });
    }
    const loop = e.loopCharacteristics as ModdleElement | undefined;
    if (loop && !(TASK_TYPES.has(e.$type) && loop.$type === 'bpmn:MultiInstanceLoopCharacteristics'))
      problems.push({
        path: at(id, 'loopCharacteristics'),
        message: 'only a multi-instance user task (countersign) may loop',
      });
  }
  const starts = nodes.filter((n) => n.$type === 'bpmn:StartEvent');
  if (starts.length !== 1)
    problems.push({ path: '/bpmn', message: `must have exactly one plain start event, has ${starts.length}` });

  // keys: lower case, others replaced by '-', a letter first, deduplicated in document order
  const keyOf = new Map<string, string>();
  const taken = new Set<string>();
  for (const n of nodes) {
    let base = (n.id ?? 'node').toLowerCase().replace(/[^a-z0-9_-]/g, '-');
    if (!/^[a-z]/.test(base)) base = `n${base}`;
    base = base.slice(0, 40);
    let key = base;
    for (let i = 2; taken.has(key); i++) key = `${base.slice(0, 40 - String(i).length - 1)}-${i}`;
    taken.add(key);
    keyOf.set(n.id!, key);
  }

  // flows, in document order
  const outgoing = new Map<string, ModdleElement[]>();
  for (const f of elements.filter((e) => e.$type === 'bpmn:SequenceFlow')) {
    const source = (f.sourceRef as ModdleElement | undefined)?.id;
    const target = (f.targetRef as ModdleElement | undefined)?.id;
    if (!source || !target) {
      problems.push({ path: at(f.id ?? 'flow'), message: 'a sequence flow needs a source and a target' });
      continue;
    }
    outgoing.set(source, [...(outgoing.get(source) ?? []), f]);
  }
  const targetId = (f: ModdleElement): string => (f.targetRef as ModdleElement).id!;

  const built = new Map<string, Record<string, unknown>>();
  for (const n of nodes) {
    const id = n.id!;
    const out = outgoing.get(id) ?? [];
    const toEnd = out.filter((f) => ends.has(targetId(f)));
    const onward = out.filter((f) => keyOf.has(targetId(f)));
    const step = parseJsonAttribute(n.step, id, 'step', problems);
    const node: Record<string, unknown> = isObject(step) ? { ...step } : {};
    for (const member of ['key', 'name', 'kind', 'next']) delete node[member];
    node.key = keyOf.get(id);
    node.name = typeof n.name === 'string' && n.name.trim() !== '' ? n.name.trim() : id;

    if (n.$type === 'bpmn:StartEvent' || GATEWAY_KINDS[n.$type]) {
      node.kind = n.$type === 'bpmn:StartEvent' ? 'start' : GATEWAY_KINDS[n.$type];
      for (const f of toEnd)
        problems.push({
          path: at(f.id!),
          message: `only a complete (办结) task may end the process: '${id}' flows straight into end event '${targetId(f)}'`,
        });
      if (GATEWAY_KINDS[n.$type]) gatewayRouting(n, onward, node, keyOf, problems);
      else for (const f of onward) if (f.conditionExpression) conditionOnNonGateway(f, problems);
    } else {
      const declared = n.kind;
      let kind: string;
      if (declared === undefined) kind = onward.length === 0 ? 'complete' : 'approve';
      else if (
        typeof declared === 'string' &&
        (STEP_KINDS as readonly string[]).includes(declared) &&
        declared !== 'start'
      )
        kind = declared;
      else {
        problems.push({
          path: at(id, 'kind'),
          message: `hall:kind must be one of 'review', 'approve', 'transfer', 'complete'`,
        });
        kind = 'approve';
      }
      node.kind = kind;
      if (kind === 'complete')
        for (const f of onward)
          problems.push({
            path: at(f.id!),
            message: `a complete (办结) task ends the process: '${id}' cannot flow on to '${targetId(f)}'`,
          });
      else
        for (const f of toEnd)
          problems.push({
            path: at(f.id!),
            message: `only a complete (办结) task may end the process: '${id}' is '${kind}' (set hall:kind="complete" or add a complete task)`,
          });
      for (const f of onward) if (f.conditionExpression) conditionOnNonGateway(f, problems);
      taskMembers(n, node, options, attr, problems);
    }
    built.set(id, node);
  }

  // order: topological, earliest in the document first (an exported file comes back in its own order)
  const order = topologicalOrder(nodes, (n) => (outgoing.get(n.id!) ?? []).map(targetId).filter((t) => keyOf.has(t)));
  order.forEach((n, i) => {
    const node = built.get(n.id!)!;
    if (node.kind === 'complete') return;
    const next = (outgoing.get(n.id!) ?? [])
      .map(targetId)
      .filter((t) => keyOf.has(t))
      .map((t) => keyOf.get(t)!);
    const following = order[i + 1];
    const implicit = following ? [keyOf.get(following.id!)!] : [];
    const needsExplicit = node.conditions !== undefined;
    if (needsExplicit || next.length !== implicit.length || next.some((k, j) => k !== implicit[j])) node.next = next;
  });

  const definition: { form?: unknown; nodes: Array<Record<string, unknown>> } = {
    nodes: order.map((n) => built.get(n.id!)!),
  };
  const form = formOf(process, problems);
  if (form !== undefined) definition.form = form;
  if (problems.length) return { ok: false, problems };
  return { ok: true, draft: { definition, elementIds: order.map((n) => n.id!) } };
}

function taskMembers(
  n: ModdleElement,
  node: Record<string, unknown>,
  options: { defaultTimeLimit?: TimeLimit },
  attr: (e: ModdleElement, name: string) => string | undefined,
  problems: Problems,
): void {
  const id = n.id!;
  for (const member of ['handlers', 'timeLimit', 'mode', 'passRatio']) delete node[member];
  // handlers: hall:handlers, else Camunda's candidate groups ("role:unit") / users / assignee
  if (n.handlers !== undefined) {
    const handlers = parseJsonAttribute(n.handlers, id, 'handlers', problems);
    if (handlers !== undefined) node.handlers = handlers;
  } else {
    const groups = list(attr(n, 'candidateGroups'));
    const users = [...list(attr(n, 'assignee')), ...list(attr(n, 'candidateUsers'))];
    if (groups.length && users.length)
      problems.push({
        path: at(id, 'candidateGroups'),
        message: 'either candidate groups or candidate users, not both',
      });
    else if (groups.length > 1)
      problems.push({
        path: at(id, 'candidateGroups'),
        message: 'the hall takes one candidate group "role:unit" per task',
      });
    else if (groups.length === 1) {
      const [role, unit, ...more] = groups[0]!.split(':');
      if (!role || !unit || more.length)
        problems.push({ path: at(id, 'candidateGroups'), message: `'${groups[0]}' is not "role:unit"` });
      else node.handlers = { type: 'role', role, unit };
    } else if (users.length) node.handlers = { type: 'people', people: [...new Set(users)] };
  }
  // time limit: hall:timeLimit ({"workingDays": n}, {"hours": n}, "5d" or "48h"), else the request's default
  if (n.timeLimit !== undefined) {
    const short = /^\s*(\d{1,4})\s*(d|h)\s*$/i.exec(String(n.timeLimit));
    if (short)
      node.timeLimit =
        short[2]!.toLowerCase() === 'd' ? { workingDays: Number(short[1]) } : { hours: Number(short[1]) };
    else {
      const limit = parseJsonAttribute(n.timeLimit, id, 'timeLimit', problems);
      if (limit !== undefined) node.timeLimit = limit;
    }
  } else if (options.defaultTimeLimit) node.timeLimit = { ...options.defaultTimeLimit };
  else
    problems.push({
      path: at(id, 'timeLimit'),
      message: 'has no time limit: set hall:timeLimit (e.g. "3d" or "48h") or give the request a defaultTimeLimit',
    });
  // countersign: multi-instance; sequential = 依次, parallel = 会签, with a completion ratio = ratio
  const loop = n.loopCharacteristics as ModdleElement | undefined;
  if (loop?.$type === 'bpmn:MultiInstanceLoopCharacteristics') {
    const completion = (loop.completionCondition as ModdleElement | undefined)?.body;
    if (loop.isSequential) node.mode = 'sequential';
    else if (typeof completion === 'string' && completion.trim() !== '') {
      const ratio = RATIO.exec(completion);
      if (ratio) {
        node.mode = 'ratio';
        node.passRatio = Number(ratio[1]);
      } else
        problems.push({
          path: at(id, 'completionCondition'),
          message: 'only "${nrOfCompletedInstances / nrOfInstances >= <ratio>}" is supported as a completion condition',
        });
    } else node.mode = 'all';
  }
}

function gatewayRouting(
  n: ModdleElement,
  onward: ModdleElement[],
  node: Record<string, unknown>,
  keyOf: ReadonlyMap<string, string>,
  problems: Problems,
): void {
  delete node.conditions;
  delete node.default;
  const conditions: Record<string, unknown> = {};
  for (const f of onward) {
    const expression = f.conditionExpression as ModdleElement | undefined;
    if (!expression) continue;
    if (n.$type === 'bpmn:ParallelGateway') {
      problems.push({
        path: at(f.id!, 'conditionExpression'),
        message: 'a parallel gateway takes every flow: no conditions',
      });
      continue;
    }
    const condition = conditionOf(expression, f.id!, problems);
    if (condition !== undefined) conditions[keyOf.get((f.targetRef as ModdleElement).id!)!] = condition;
  }
  if (Object.keys(conditions).length) node.conditions = conditions;
  const byDefault = n.default as ModdleElement | undefined;
  if (byDefault) {
    const target = (byDefault.targetRef as ModdleElement | undefined)?.id;
    if (n.$type === 'bpmn:ParallelGateway')
      problems.push({ path: at(n.id!, 'default'), message: 'a parallel gateway has no default flow' });
    else if (target && keyOf.has(target)) node.default = keyOf.get(target);
  }
}

function conditionOf(expression: ModdleElement, flowId: string, problems: Problems): unknown {
  const body = typeof expression.body === 'string' ? expression.body.trim() : '';
  const where = at(flowId, 'conditionExpression');
  if (body === '') {
    problems.push({ path: where, message: 'is empty' });
    return undefined;
  }
  const language = typeof expression.language === 'string' ? expression.language.trim() : '';
  if (language !== '' && language !== JSON_LOGIC_LANGUAGE && !/^(juel|.*\bel)$/i.test(language)) {
    problems.push({ path: where, message: `conditions in '${language}' are not supported: JSON Logic or simple JUEL` });
    return undefined;
  }
  if (language === JSON_LOGIC_LANGUAGE || body.startsWith('{')) {
    return parseJson(body, where, problems);
  }
  const juel = juelToJsonLogic(body);
  if (!juel.ok) {
    problems.push({ path: where, message: juel.message });
    return undefined;
  }
  return juel.logic;
}

function conditionOnNonGateway(f: ModdleElement, problems: Problems): void {
  problems.push({
    path: at(f.id!, 'conditionExpression'),
    message: 'conditional flows out of a task or event are not supported: put an exclusive or inclusive gateway there',
  });
}

function formOf(process: ModdleElement, problems: Problems): unknown {
  const values =
    ((process.extensionElements as ModdleElement | undefined)?.values as ModdleElement[] | undefined) ?? [];
  const forms = values.filter((v) => v.$type === 'hall:Form');
  if (forms.length > 1)
    problems.push({ path: at(process.id ?? 'process', 'form'), message: 'one hall:form per process' });
  const form = forms[0];
  if (!form) return undefined;
  return parseJson(typeof form.json === 'string' ? form.json : '', at(process.id ?? 'process', 'form'), problems);
}

function camundaPrefix(definitions: ModdleElement): string | undefined {
  for (const [name, value] of Object.entries(definitions.$attrs ?? {}))
    if (name.startsWith('xmlns:') && value === CAMUNDA_NS) return name.slice('xmlns:'.length);
  return undefined;
}

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

function parseJsonAttribute(value: unknown, id: string, member: string, problems: Problems): unknown {
  if (value === undefined) return undefined;
  return parseJson(String(value), at(id, member), problems);
}

function parseJson(text: string, path: string, problems: Problems): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    problems.push({ path, message: 'is not valid JSON' });
    return undefined;
  }
  if (depthOf(value) > MAX_JSON_DEPTH) {
    problems.push({ path, message: `nests deeper than ${MAX_JSON_DEPTH} levels` });
    return undefined;
  }
  return value;
}

function depthOf(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [v, d] = item;
    if (typeof v !== 'object' || v === null) continue;
    max = Math.max(max, d);
    if (max > MAX_JSON_DEPTH) return max;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Kahn's algorithm, always taking the earliest ready node in document order; nodes on a cycle follow in document order. */
function topologicalOrder(nodes: ModdleElement[], next: (n: ModdleElement) => string[]): ModdleElement[] {
  const index = new Map(nodes.map((n, i) => [n.id!, i]));
  const indegree = nodes.map(() => 0);
  const edges = nodes.map((n) => [...new Set(next(n))].map((t) => index.get(t)!).filter((t) => t !== undefined));
  for (const targets of edges) for (const t of targets) indegree[t]!++;
  const done = nodes.map(() => false);
  const order: ModdleElement[] = [];
  while (order.length < nodes.length) {
    let pick = indegree.findIndex((d, i) => d === 0 && !done[i]);
    if (pick < 0) pick = done.findIndex((d) => !d); // a cycle: the validator names it
    done[pick] = true;
    order.push(nodes[pick]!);
    for (const t of edges[pick]!) indegree[t]!--;
  }
  return order;
}

function firstLine(e: unknown): string {
  const message =
    e instanceof Error || (typeof e === 'object' && e !== null && 'message' in e)
      ? String((e as { message: unknown }).message)
      : String(e);
  return message.split('\n')[0]!.slice(0, 200);
}
