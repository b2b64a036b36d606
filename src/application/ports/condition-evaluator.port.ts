/** Evaluates a node condition (JSON Logic, checked when the definition was saved). */
export interface ConditionEvaluator {
  holds(
    condition: Record<string, unknown>,
    data: { form: Record<string, unknown>; applicant: { type: string; unit: string } },
  ): boolean;
}
