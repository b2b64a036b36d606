import type { ProcessDefinition, TimeLimit } from '../../../domain/process-definition/process-definition.js';
import type { BpmnConverter, BpmnReading } from '../../../application/ports/bpmn.port.js';
import { exportBpmn } from './bpmn-export.js';
import { importBpmn } from './bpmn-import.js';
import { hallModdle } from './hall-moddle.js';

/** BPMN 2.0 through bpmn-moddle (the model library of bpmn.io), with the hall's `hall:` extension. */
export class ModdleBpmnConverter implements BpmnConverter {
  toBpmn(definition: ProcessDefinition, about: { name: string }): Promise<string> {
    return exportBpmn(hallModdle(), definition, about);
  }

  fromBpmn(xml: string, options: { defaultTimeLimit?: TimeLimit }): Promise<BpmnReading> {
    return importBpmn(hallModdle(), xml, options);
  }
}
