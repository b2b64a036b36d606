import { expect } from 'chai';
import { loadExperiments } from '../../../ops/drill/experiment.js';
import { DRILL_FUNCTIONS } from '../../../ops/drill/functions.js';
import { unavailableIn } from '../../../ops/drill/runner.js';

/** The experiment files the IT Center runs and extends: each is valid, names only known functions, and runs in the sandbox. */
describe('drill experiments (ops/drills)', () => {
  it('holds the six scenarios of the emergency plan, each valid and runnable in the sandbox', async () => {
    const experiments = await loadExperiments();
    expect([...experiments.keys()]).to.deep.equal([
      'connector-down',
      'database-restart',
      'database-unreachable',
      'directory-down',
      'sink-down',
      'worker-killed',
    ]);
    for (const [name, exp] of experiments) {
      expect(unavailableIn(exp, 'sandbox'), name).to.deep.equal([]);
      for (const a of [...exp.method, ...exp.rollbacks])
        expect(DRILL_FUNCTIONS[a.provider.func]!.kind, a.name).to.equal('action');
      for (const p of [...exp['steady-state-hypothesis'].probes, exp.detection, ...exp.during, ...exp.recovery])
        expect(DRILL_FUNCTIONS[p.provider.func]!.kind, p.name).to.equal('probe');
    }
  });

  it('against a deployment, only database-unreachable runs; the others say why not', async () => {
    const experiments = await loadExperiments();
    const runnable = [...experiments].filter(([, e]) => unavailableIn(e, 'target').length === 0).map(([n]) => n);
    expect(runnable).to.deep.equal(['database-unreachable']);
    expect(unavailableIn(experiments.get('database-restart')!, 'target').join()).to.match(
      /stopping the server needs its host/,
    );
    expect(unavailableIn(experiments.get('worker-killed')!, 'target').join()).to.match(/worker runs on the deployment/);
  });
});
