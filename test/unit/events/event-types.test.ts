import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { eventFiles } from '../../../clients/event-files.js';
import { EVENT_TYPES } from '../../../src/application/events/event-types.js';
import { eventViolations } from '../../fixtures/outbox-contract.js';

describe('the documented event types (no database)', () => {
  it('docs/events.md and clients/events/*.schema.json are what the catalogue generates now (else: npm run client:generate)', async () => {
    const stale: string[] = [];
    for (const [file, text] of Object.entries(eventFiles())) {
      if ((await readFile(file, 'utf8').catch(() => '')) !== text) stale.push(file);
    }
    expect(stale, 'stale generated files: run npm run client:generate and commit them').to.deep.equal([]);
  });

  it('names each topic once', () => {
    const topics = EVENT_TYPES.map((e) => e.topic);
    expect(topics.length).to.equal(new Set(topics).size);
  });

  it('passes an event as documented, and names an unknown topic, another aggregate, a missing or an extra member', () => {
    const ok = {
      topic: 'task.approved',
      aggregate_type: 'application',
      payload: { actor: 'T0002', taskId: 't-1', caseNumber: '2026-CW-000001' },
    };
    expect(eventViolations([ok])).to.deep.equal([]);
    expect(eventViolations([{ ...ok, topic: 'task.teleported' }])).to.deep.equal([
      'task.teleported: not a documented event type (src/application/events/event-types.ts)',
    ]);
    expect(eventViolations([{ ...ok, aggregate_type: 'person' }])).to.deep.equal([
      "task.approved: aggregate 'person', documented as 'application'",
    ]);
    const [missing] = eventViolations([{ ...ok, payload: { actor: 'T0002', taskId: 't-1' } }]);
    expect(missing).to.contain("must have required property 'caseNumber'");
    const [extra] = eventViolations([{ ...ok, payload: { ...ok.payload, form: { bank_account: '6222…' } } }]);
    expect(extra, 'form contents never reach the data platform').to.contain('must NOT have additional properties');
  });
});
