import type { ProcessDefinition } from '../process-definition/process-definition.js';
import { personalFieldPaths, withPersonalData } from './personal-data.js';

/**
 * Who reads an application's form, as far as the form is concerned:
 * - `applicant`: it is theirs;
 * - `nodes`: the steps they handle (hold, held, or are offered) or were copied at (抄送);
 * - `overseer`: they may read it by policy without handling it (the item's service admins, the
 *   global offices, auditors).
 * One person may be several of these; each adds to what they see.
 */
export interface FormReader {
  applicant: boolean;
  nodes: readonly string[];
  overseer: boolean;
}

/**
 * The form as `reader` may see it (GB/T 35273, minimum necessary; Art. 15):
 * - the applicant sees all of it;
 * - at a step, the fields its `fields.visible` names (with its `editable` ones), or every field
 *   when it names none; an overseer sees every field;
 * - a field the form schema marks personal (`x-sensitive`) is shown in clear only to the applicant
 *   and at a step that names it in `visible` or `editable` (the step needs it); anyone else who
 *   sees it sees it masked (`6222********3445`).
 */
export function formFor(
  form: Readonly<Record<string, unknown>>,
  definition: Pick<ProcessDefinition, 'form' | 'nodes'>,
  reader: FormReader,
): Record<string, unknown> {
  if (reader.applicant) return { ...form };
  const steps = definition.nodes.filter((n) => reader.nodes.includes(n.key));
  const named = new Set(steps.flatMap((n) => [...(n.fields?.visible ?? []), ...(n.fields?.editable ?? [])]));
  const seesAll = reader.overseer || steps.some((n) => n.fields?.visible === undefined);
  const visible = Object.fromEntries(Object.entries(form).filter(([key]) => seesAll || named.has(key)));
  const masked = personalFieldPaths(definition.form).filter((path) => !named.has(topLevel(path)));
  return withPersonalData(visible, masked, 'mask');
}

function topLevel(path: string): string {
  return path.split('/')[1]!.replaceAll('~1', '/').replaceAll('~0', '~');
}
