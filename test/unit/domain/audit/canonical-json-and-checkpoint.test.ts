import { expect } from 'chai';
import { canonicalJson } from '../../../../src/domain/audit/canonical-json.js';
import {
  checkpointBody,
  fromBase64,
  notesOfCheckpointFile,
  parseSignedNote,
  signedNote,
  toBase64,
} from '../../../../src/domain/audit/checkpoint.js';
import { leafDocument } from '../../../../src/domain/audit/audit-leaf.js';

describe('canonical JSON (RFC 8785)', () => {
  it('sorts keys at every depth, writes no whitespace, leaves out undefined members', () => {
    expect(canonicalJson({ b: 1, a: [{ z: null, y: 'é' }], c: undefined, '\u00e9': true, A: 2 })).to.equal(
      '{"A":2,"a":[{"y":"é","z":null}],"b":1,"é":true}',
    );
  });

  it('numbers and strings as ECMAScript writes them (the RFC 8785 rules)', () => {
    expect(canonicalJson([1.0, 1e21, 0.000001, -0, 'a\nb\u0001"'])).to.equal('[1,1e+21,0.000001,0,"a\\nb\\u0001\\""]');
    expect(() => canonicalJson(Number.NaN)).to.throw(/non-finite/);
  });

  it('a leaf document carries every field of the entry, its seq and its time in ISO 8601', () => {
    const doc = leafDocument({
      seq: 3,
      id: 'e3',
      at: new Date('2026-11-30T01:02:03.456Z'),
      actorId: 'T0002',
      action: 'role.granted',
      entityType: 'person',
      entityId: 'T0900',
      requestId: 'r1',
    });
    expect(canonicalJson(doc)).to.equal(
      '{"action":"role.granted","actor_id":"T0002","after":null,"before":null,"entity_id":"T0900","entity_type":"person","id":"e3","occurred_at":"2026-11-30T01:02:03.456Z","request_id":"r1","seq":3,"unit":null}',
    );
  });
});

describe('checkpoints as signed notes (C2SP tlog-checkpoint)', () => {
  const root = new Uint8Array(32).map((_, i) => i);
  const sig = {
    keyName: 'hall.test/audit-log',
    keyId: new Uint8Array([1, 2, 3, 4]),
    signature: new Uint8Array(64).fill(7),
  };

  it('origin, size and base64 root, a blank line, then one signature line per key', () => {
    const c = { origin: 'hall.test/audit-log', treeSize: 12, rootHash: root };
    expect(checkpointBody(c)).to.equal(`hall.test/audit-log\n12\n${toBase64(root)}\n`);
    const note = signedNote(c, [sig]);
    expect(note).to.equal(
      `${checkpointBody(c)}\n\u2014 hall.test/audit-log ${toBase64(new Uint8Array([1, 2, 3, 4, ...sig.signature]))}\n`,
    );
    const parsed = parseSignedNote(note);
    expect(parsed.ok && parsed.checkpoint.treeSize).to.equal(12);
    expect(parsed.ok && parsed.body).to.equal(checkpointBody(c));
  });

  it('refuses any other shape, saying why', () => {
    const note = signedNote({ origin: 'o', treeSize: 1, rootHash: root }, [sig]);
    for (const [bad, why] of [
      [note.replace('\n1\n', '\n01\n'), 'tree size'],
      [note.replace('\n\n', '\n'), 'blank line'],
      [note.replace('\u2014', '-'), 'signature line'],
      [note.slice(0, -1), 'newline'],
      [note.replace(toBase64(root), toBase64(root.slice(1))), 'root hash'],
    ] as const) {
      const p = parseSignedNote(bad);
      expect(p.ok, why).to.equal(false);
      expect(!p.ok && p.reason, why).to.include(why);
    }
  });

  it('base64 in one spelling only; a checkpoint file splits back into its notes', () => {
    expect(fromBase64(toBase64(root))).to.deep.equal(root);
    expect(fromBase64('AQ=')).to.equal(null);
    expect(fromBase64('AR==')).to.equal(null);
    const a = signedNote({ origin: 'o', treeSize: 1, rootHash: root }, [sig]);
    const b = signedNote({ origin: 'o', treeSize: 2, rootHash: root }, [sig, sig]);
    expect(notesOfCheckpointFile(`${a}\n${b}\n`)).to.deep.equal([a, b]);
  });
});
