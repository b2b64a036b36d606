/**
 * `npm run bench [-- name ...]`: runs the named benchmarks (all by default). Each prints its
 * figures last as one JSON line. Not part of `npm test`: figures, not pass/fail.
 */
import { runCasbinBench } from './casbin.js';
import { runWorkflowBench } from './workflow.js';
import { runStartupBench } from './startup.js';
import { runInboxBench } from './inbox.js';
import { runOutboxBench } from './outbox.js';
import { runReadsBench } from './reads.js';
import { runEvalBench } from './eval.js';

const BENCHES: Record<string, () => Promise<Record<string, unknown>>> = {
  workflow: runWorkflowBench,
  startup: runStartupBench,
  casbin: runCasbinBench,
  inbox: runInboxBench,
  outbox: runOutboxBench,
  reads: runReadsBench,
  eval: runEvalBench,
};

const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = names.filter((n) => !BENCHES[n]);
if (unknown.length) {
  process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}\n`);
  process.exit(2);
}
for (const name of names.length ? names : Object.keys(BENCHES)) {
  const result = await BENCHES[name]!();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
process.exit(0);
