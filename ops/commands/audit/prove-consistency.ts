import { Flags } from '@oclif/core';
import { writeFile } from 'node:fs/promises';
import type { ConsistencyProofDocument } from '../../../src/application/audit/prove-consistency.use-case.js';
import { BaseCommand } from '../../base-command.js';

export default class AuditProveConsistency extends BaseCommand<typeof AuditProveConsistency> {
  static override summary =
    'Prove that a checkpoint of the audit log extends an older one (RFC 9162 consistency proof), for checking offline.';
  static override description =
    'Writes the proof that the tree of a published checkpoint (--to, the latest by default) extends the tree of --from ' +
    'entries, with the signed checkpoints of both sizes, as JSON (the same document as GET ' +
    '/api/v1/audit-checkpoints/consistency). `hall audit verify-consistency --proof FILE --public-key KEY` checks it ' +
    'with no server and no database.';

  static override flags = {
    from: Flags.integer({ description: 'the older tree size (that of the checkpoint kept)', required: true, min: 0 }),
    to: Flags.integer({
      description: 'the newer tree size: that of a published checkpoint (default: the latest)',
      min: 0,
    }),
    out: Flags.string({ description: 'the file to write the proof to (default: standard output)' }),
  };

  static override examples = [
    '<%= config.bin %> <%= command.id %> --from 1200 --out proof.json --operator T0003',
    '<%= config.bin %> <%= command.id %> --from 1200 --to 1500 --operator T0003 > proof.json',
  ];

  async run(): Promise<ConsistencyProofDocument> {
    const doc = this.unwrap(
      await this.useCases.proveConsistency.execute({
        actor: await this.operator(),
        from: this.flags.from,
        to: this.flags.to,
      }),
    );
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    if (this.flags.out === undefined) {
      this.log(text.trimEnd());
      return doc;
    }
    await writeFile(this.flags.out, text, { flag: 'wx' }).catch((e: NodeJS.ErrnoException) =>
      this.error(`cannot write ${this.flags.out}: ${e.code ?? e.message}`, { exit: 2 }),
    );
    this.log(
      `the proof that the checkpoint of ${doc.toSize} entries extends the tree of ${doc.fromSize} is in ${this.flags.out}`,
    );
    return doc;
  }
}
