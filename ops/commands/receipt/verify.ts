import { Args, Command, Errors, Flags } from '@oclif/core';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PrintoutCheck } from '../../../src/application/ports/printout.port.js';
import type { PrintoutContent } from '../../../src/domain/printout/printout.js';
import { buildOfflineUseCases, printoutKeyFileOf } from '../../../src/adapters/composition/offline.js';

export interface ReceiptVerifyResult {
  status: PrintoutCheck['status'];
  file: string;
  /** The key the file was checked against. */
  publicKey: { source: string; keyId: string };
  /** The key that signed the file, when it names one. */
  signedBy?: string;
  /** The signed content; for a file that is not authentic, what it claims (do not trust it). */
  content?: PrintoutContent;
  /** Where revocation is checked: only online. */
  verifyPath?: string;
  message: string;
}

const verifyPath = (code: string) => `/api/v1/verify/${code}`;

/**
 * Checks a printout (办事凭证) PDF offline: its embedded content against its Ed25519 signature.
 * Needs no server and no database, so it is no BaseCommand (whose init() opens the database): its
 * use case comes from the composition root's offline part.
 */
export default class ReceiptVerify extends Command {
  static override summary = "Check a printout PDF (办事凭证) offline: is its content signed by the hall's key?";
  static override description =
    "Without --public-key, the hall's own key is used: the public key of the private key file at " +
    'HALL_SIGNING_KEY_FILE, or by default <HALL_DATA_DIR>/keys/printout-ed25519.pem. Exits 0 when authentic, 1 when the file is ' +
    'altered, not a printout or signed by another key, 2 on usage errors. Revocation can only be checked online.';

  static override enableJsonFlag = true;
  static override args = { file: Args.string({ description: 'the printout PDF', required: true }) };
  static override flags = {
    'public-key': Flags.string({
      description: "PEM file with the hall's published public key (a private key file also works)",
    }),
  };

  static override examples = [
    '<%= config.bin %> <%= command.id %> 2026-JW-000123.pdf --public-key hall-printout.pub.pem',
    'HALL_DATA_DIR=/srv/hall <%= config.bin %> <%= command.id %> 2026-JW-000123.pdf --json',
  ];

  async run(): Promise<ReceiptVerifyResult> {
    const { args, flags } = await this.parse(ReceiptVerify);
    const pdf = await readFile(args.file).catch((e: NodeJS.ErrnoException) =>
      this.error(`cannot read ${args.file}: ${e.code ?? e.message}`, { exit: 2 }),
    );
    const key = await this.publicKey(flags['public-key']);
    const checked = await this.checker.execute({ file: pdf, publicKeyPem: key.pem });
    if (!checked.ok) throw checked.error;
    const check = checked.value;
    const result = this.describe(args.file, key, check);
    if (check.status === 'authentic') {
      this.print(result);
      return result;
    }
    if (this.jsonEnabled()) this.logJson(result);
    else this.logToStderr(`${result.status.toUpperCase()}: ${result.message}`);
    return this.exit(1);
  }

  /** A usage error or our own exit keeps its code, with --json too (oclif's catch would make it 1). */
  override async catch(err: Error & { oclif?: { exit?: number } }): Promise<unknown> {
    if (err instanceof Errors.ExitError) throw err;
    if (this.jsonEnabled() && typeof err.oclif?.exit === 'number') {
      this.logJson(this.toErrorJson(err));
      throw new Errors.ExitError(err.oclif.exit);
    }
    return super.catch(err);
  }

  private readonly checker = buildOfflineUseCases().checkPrintoutFile;

  private async publicKey(file: string | undefined): Promise<{ pem: string; source: string; keyId: string }> {
    let source = file;
    if (!source) {
      source = printoutKeyFileOf(process.env);
      const found = await readFile(source, 'utf8').catch(() => null);
      if (found === null) {
        this.error(
          `no key to check against: no signing key at ${path.resolve(source)}. Give the hall's published public key with ` +
            "--public-key <file>, or point HALL_SIGNING_KEY_FILE / HALL_DATA_DIR at the hall's key",
          { exit: 1, code: 'PRINTOUT.NO_KEY' },
        );
      }
      return this.parseKey(found, source);
    }
    const text = await readFile(source, 'utf8').catch((e: NodeJS.ErrnoException) =>
      this.error(`cannot read ${source}: ${e.code ?? e.message}`, { exit: 2 }),
    );
    return this.parseKey(text, source);
  }

  private async parseKey(text: string, source: string): Promise<{ pem: string; source: string; keyId: string }> {
    const key = await this.checker.publicKey({ pem: text });
    if (!key.ok) return this.error(`${source} holds no Ed25519 key in PEM form (${key.error.message})`, { exit: 2 });
    return { pem: key.value.publicKeyPem, source, keyId: key.value.keyId };
  }

  private describe(file: string, key: { source: string; keyId: string }, check: PrintoutCheck): ReceiptVerifyResult {
    const base = { file, publicKey: { source: key.source, keyId: key.keyId } };
    const claimed =
      'content' in check && check.content ? { content: check.content, verifyPath: verifyPath(check.content.code) } : {};
    const signedBy = 'keyId' in check && check.keyId ? { signedBy: check.keyId } : {};
    switch (check.status) {
      case 'authentic':
        return {
          status: 'authentic',
          ...base,
          signedBy: check.keyId,
          ...claimed,
          message: `the content is signed by key ${check.keyId}`,
        };
      case 'unknown-key':
        return {
          status: 'unknown-key',
          ...base,
          ...signedBy,
          ...claimed,
          message: `signed with key ${check.keyId}, not with key ${key.keyId} (${key.source}): it cannot be checked with this key`,
        };
      case 'altered':
        return {
          status: 'altered',
          ...base,
          ...signedBy,
          ...claimed,
          message: 'the content does not match its signature: the printout was altered, do not trust it',
        };
      case 'not-a-printout':
        return { status: 'not-a-printout', ...base, message: `${file} carries no signed printout content` };
    }
  }

  private print(r: ReceiptVerifyResult): void {
    const c = r.content!;
    this.log(`AUTHENTIC: ${r.message}`);
    this.log(`  case number  ${c.caseNumber}`);
    this.log(`  service      ${c.service.name} (${c.service.code})`);
    this.log(`  applicant    ${c.applicant.name}${c.applicant.unit ? ` (${c.applicant.unit})` : ''}`);
    this.log(`  result       ${c.result}`);
    this.log(`  issued at    ${c.issuedAt}`);
    this.log(`  code         ${c.code}`);
    this.log(`  key id       ${r.signedBy}`);
    this.log(`  trail        ${c.trail.length} step(s)`);
    for (const t of c.trail)
      this.log(`    ${t.at}  ${t.node}  ${t.actor}  ${t.action}${t.comment ? `  ${t.comment}` : ''}`);
    this.log('The printed text must say the same. Whether it has been revoked can only be checked online:');
    this.log(`  GET ${r.verifyPath}`);
  }
}
