import jsonLogic from 'json-logic-js';
import type { ConditionEvaluator } from '../../../application/ports/condition-evaluator.port.js';

/** json-logic-js: declarative, no eval. A condition that cannot be evaluated keeps its node (never a silent skip). */
export class JsonLogicConditionEvaluator implements ConditionEvaluator {
  holds(
    condition: Record<string, unknown>,
    data: { form: Record<string, unknown>; applicant: { type: string; unit: string } },
  ): boolean {
    try {
      return jsonLogic.truthy(jsonLogic.apply(condition as jsonLogic.RulesLogic, data));
    } catch {
      return true;
    }
  }
}
