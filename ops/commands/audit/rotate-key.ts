import { BaseCommand } from '../../base-command.js';

export default class AuditRotateKey extends BaseCommand<typeof AuditRotateKey> {
  static override summary = 'Replace the key that signs audit checkpoints; the old key still verifies what it signed.';
  static override description =
    'The current key (AUDIT_SIGNING_KEY_FILE) is retired: its verifier key is kept beside the key file ' +
    '(<file>.retired-<key id>.vkey) and a new key takes its place. Restart the instances afterwards so they sign with it; ' +
    'a checkpoint is published at once with the new key.';

  async run(): Promise<{ retiredKeyId: string | null; keyId: string }> {
    const actor = await this.operator();
    const r = this.unwrap(await this.useCases.auditCheckpoints.rotateKey(actor));
    this.log(`key ${r.retiredKeyId ?? '(none)'} retired; checkpoints are now signed with key ${r.keyId}`);
    return r;
  }
}
