import type { ProcessDefinition, TimeLimit } from '../../domain/process-definition/process-definition.js';
import type { FieldProblem } from '../../domain/shared/errors.js';

/** What a BPMN 2.0 file says in the hall's terms, before the process-definition validator has seen it. */
export interface BpmnDraft {
  /** `{ form?, nodes }`: the form when the file carries one (a `hall:form` extension element of the process). */
  definition: { form?: unknown; nodes: Array<Record<string, unknown>> };
  /** The BPMN element id each node comes from (same index as `nodes`), to name it in the validator's problems. */
  elementIds: string[];
}

export type BpmnReading = { ok: true; draft: BpmnDraft } | { ok: false; problems: FieldProblem[] };

/**
 * BPMN 2.0 XML <-> process definitions (docs/bpmn.md). Export writes diagram interchange so the
 * file opens in bpmn.io / Camunda Modeler; import refuses every element the hall cannot run, all at
 * once, each problem at `/bpmn/<elementId>` (or `/bpmn` for the file as a whole).
 */
export interface BpmnConverter {
  toBpmn(definition: ProcessDefinition, about: { name: string }): Promise<string>;
  fromBpmn(xml: string, options: { defaultTimeLimit?: TimeLimit }): Promise<BpmnReading>;
}
