import type { BpmnModdle, ModdleElement } from 'bpmn-moddle';
import {
  isGateway,
  successors,
  type ProcessDefinition,
  type ProcessNodeDefinition,
} from '../../../domain/process-definition/process-definition.js';
import { layoutGraph, type LayoutNode } from '../../../domain/process-definition/process-layout.js';
import { HALL_NS, JSON_LOGIC_LANGUAGE } from './hall-moddle.js';

const SIZE = {
  task: { width: 100, height: 80 },
  gateway: { width: 50, height: 50 },
  event: { width: 36, height: 36 },
} as const;
const GATEWAY_TYPE = {
  exclusive: 'bpmn:ExclusiveGateway',
  parallel: 'bpmn:ParallelGateway',
  inclusive: 'bpmn:InclusiveGateway',
} as const;
/** Members written in standard BPMN or in their own hall: attribute; the rest of a node goes in `hall:step`. */
const MAPPED = {
  start: ['key', 'name', 'kind', 'next'],
  step: ['key', 'name', 'kind', 'next', 'handlers', 'timeLimit', 'mode', 'passRatio'],
  gateway: ['key', 'name', 'kind', 'next', 'conditions', 'default'],
};

/** The id of the end event after a complete node: upper case, which no node key has, so it never collides. */
export const endEventId = (key: string): string => `End_${key}`;
/** `${nrOfCompletedInstances / nrOfInstances >= r}`: the completion condition of a ratio countersign. */
export const ratioCondition = (ratio: number): string => `\${nrOfCompletedInstances / nrOfInstances >= ${ratio}}`;

/**
 * A definition as BPMN 2.0 XML with diagram interchange. Node keys are element ids (they are
 * NCNames), nodes appear in definition order, flows in successor order: importing the file back gives
 * the same definition.
 */
export async function exportBpmn(moddle: BpmnModdle, def: ProcessDefinition, about: { name: string }): Promise<string> {
  const process = moddle.create('bpmn:Process', { id: 'Process_hall', name: about.name, isExecutable: true });
  const formElement = moddle.create('hall:Form', { json: JSON.stringify(def.form) });
  process.extensionElements = moddle.create('bpmn:ExtensionElements', { values: [formElement] });
  const flowElements: ModdleElement[] = [];
  const byId = new Map<string, ModdleElement>();
  const layoutNodes: LayoutNode[] = [];
  const add = (element: ModdleElement, size: { width: number; height: number }): void => {
    element.incoming = [];
    element.outgoing = [];
    flowElements.push(element);
    byId.set(element.id!, element);
    layoutNodes.push({ id: element.id!, ...size });
  };

  for (const node of def.nodes) {
    if (node.kind === 'start') {
      add(
        withStep(moddle.create('bpmn:StartEvent', { id: node.key, name: node.name }), node, MAPPED.start),
        SIZE.event,
      );
    } else if (isGateway(node)) {
      const type = GATEWAY_TYPE[node.kind as keyof typeof GATEWAY_TYPE];
      add(withStep(moddle.create(type, { id: node.key, name: node.name }), node, MAPPED.gateway), SIZE.gateway);
    } else {
      add(userTask(moddle, node), SIZE.task);
      if (node.kind === 'complete') add(moddle.create('bpmn:EndEvent', { id: endEventId(node.key) }), SIZE.event);
    }
  }

  const flows: ModdleElement[] = [];
  const connect = (from: string, to: string, condition?: Record<string, unknown>): ModdleElement => {
    const source = byId.get(from)!;
    const target = byId.get(to)!;
    const flow = moddle.create('bpmn:SequenceFlow', {
      id: `Flow_${flows.length + 1}`,
      sourceRef: source,
      targetRef: target,
    });
    if (condition) {
      flow.conditionExpression = moddle.create('bpmn:FormalExpression', {
        language: JSON_LOGIC_LANGUAGE,
        body: JSON.stringify(condition),
      });
    }
    (source.outgoing as ModdleElement[]).push(flow);
    (target.incoming as ModdleElement[]).push(flow);
    flows.push(flow);
    return flow;
  };
  for (const node of def.nodes) {
    if (node.kind === 'complete') {
      connect(node.key, endEventId(node.key));
      continue;
    }
    for (const to of successors(def, node.key)) {
      const flow = connect(node.key, to, node.conditions?.[to]);
      if (node.default === to) byId.get(node.key)!.default = flow;
    }
  }
  process.flowElements = [...flowElements, ...flows];

  const layout = layoutGraph(
    layoutNodes,
    flows.map((f) => ({ from: (f.sourceRef as ModdleElement).id!, to: (f.targetRef as ModdleElement).id! })),
  );
  const shapes = flowElements.map((element) => {
    const b = layout.nodes.get(element.id!)!;
    return moddle.create('bpmndi:BPMNShape', {
      id: `${element.id}_di`,
      bpmnElement: element,
      ...(element.$type === 'bpmn:ExclusiveGateway' ? { isMarkerVisible: true } : {}),
      bounds: moddle.create('dc:Bounds', { x: b.x, y: b.y, width: b.width, height: b.height }),
    });
  });
  const edges = flows.map((flow, i) =>
    moddle.create('bpmndi:BPMNEdge', {
      id: `${flow.id}_di`,
      bpmnElement: flow,
      waypoint: layout.edges[i]!.waypoints.map((p) => moddle.create('dc:Point', { x: p.x, y: p.y })),
    }),
  );
  const plane = moddle.create('bpmndi:BPMNPlane', {
    id: 'BPMNPlane_hall',
    bpmnElement: process,
    planeElement: [...shapes, ...edges],
  });
  const diagram = moddle.create('bpmndi:BPMNDiagram', { id: 'BPMNDiagram_hall', plane });
  const definitions = moddle.create('bpmn:Definitions', {
    id: 'Definitions_hall',
    targetNamespace: HALL_NS,
    exporter: 'Service Hall',
    exporterVersion: '1',
    rootElements: [process],
    diagrams: [diagram],
  });
  const { xml } = await moddle.toXML(definitions, { format: true });
  return xml;
}

function userTask(moddle: BpmnModdle, node: ProcessNodeDefinition): ModdleElement {
  const task = moddle.create('bpmn:UserTask', { id: node.key, name: node.name, kind: node.kind });
  if (node.handlers) task.handlers = JSON.stringify(node.handlers);
  if (node.timeLimit) task.timeLimit = JSON.stringify(node.timeLimit);
  if (node.mode && node.mode !== 'any') {
    task.loopCharacteristics = moddle.create('bpmn:MultiInstanceLoopCharacteristics', {
      isSequential: node.mode === 'sequential',
      ...(node.mode === 'ratio'
        ? {
            completionCondition: moddle.create('bpmn:FormalExpression', { body: ratioCondition(node.passRatio ?? 1) }),
          }
        : {}),
    });
  }
  return withStep(task, node, MAPPED.step);
}

/** Every member of the node BPMN has no place for, as one JSON object in `hall:step` (none: no attribute). */
function withStep(element: ModdleElement, node: ProcessNodeDefinition, mapped: readonly string[]): ModdleElement {
  const rest = Object.fromEntries(Object.entries(node).filter(([member]) => !mapped.includes(member)));
  if (Object.keys(rest).length) element.step = JSON.stringify(rest);
  return element;
}
