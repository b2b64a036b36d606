import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const PROMTOOL = '/usr/bin/promtool';
const run = (...args: string[]) => promisify(execFile)(PROMTOOL, args, { cwd: 'ops/prometheus' });

/** The alerting rules operations load into Prometheus: valid, and firing when (and only when) they should. */
describe('ops/prometheus/alerts.yml (promtool)', function () {
  this.timeout(60_000);
  before(function () {
    if (existsSync(PROMTOOL)) return;
    if (process.env.CI === 'true') throw new Error(`${PROMTOOL} is missing: apt-get install prometheus`);
    console.warn('    (skipped: install the Debian package prometheus for promtool)'); // eslint-disable-line no-console
    this.skip();
  });

  it('promtool check rules: every rule is valid', async () => {
    const { stdout } = await run('check', 'rules', 'alerts.yml');
    expect(stdout).to.match(/SUCCESS: 7 rules found/);
  });

  it('promtool test rules: each alert fires on its series at its time, and not before', async () => {
    const { stdout } = await run('test', 'rules', 'alerts.test.yml');
    expect(stdout).to.contain('SUCCESS');
  });
});
