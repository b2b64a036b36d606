import {
  canonicalBytes,
  newVerificationCode,
  normaliseVerificationCode,
  type PrintoutContent,
} from '../../domain/printout/printout.js';
import { ConflictError, NotAllowedError, NotFoundError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import type { Organisation } from '../ports/organisation.port.js';
import type { PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { PrintoutRenderer } from '../ports/printout.port.js';
import type { PrintoutRecord, PrintoutSignerSource, PrintoutStore } from '../ports/printout-store.port.js';
import type { ReadTrail } from '../ports/read-trail.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { forbidden, loadApplication, mayRead } from '../applications/application-access.js';
import { mayIssue, printableNow, printoutContent, revocationOf, trailActors } from './printout-content.js';

export interface IssuedPrintout {
  code: string;
  applicationId: string;
  caseNumber: string;
  issuedAt: string;
  /** Where the QR code leads. */
  verifyUrl: string;
  fileName: string;
  contentType: string;
  document: Buffer;
}

export interface PrintoutVerification {
  code: string;
  status: 'valid' | 'revoked';
  /** A RevocationReason: withdrawn, cancelled, returned, form-changed or rejected. */
  revokedReason?: string;
  revokedAt?: string;
  issuedAt: string;
  keyId: string;
  algorithm: 'Ed25519';
  /** What the printout must say: compare it with the paper. Nothing beyond what is printed. */
  summary: {
    caseNumber: string;
    service: { code: string; name: string };
    applicantName: string;
    result: string;
    issuedAt: string;
  };
  /** The signature of the canonical content (base64url), as embedded in the PDF. */
  signature: string;
  /** SHA-256 (hex) of the canonical content, the bytes the signature covers. */
  contentSha256: string;
}

export interface PrintoutPublicKey {
  keyId: string;
  algorithm: 'Ed25519';
  publicKeyPem: string;
}

const notFound = () => err(new NotFoundError('PRINTOUT.NOT_FOUND', 'no printout has this verification code'));

/** How many fresh codes to try when one is taken (60 random bits: practically never twice). */
const CODE_ATTEMPTS = 3;

/**
 * 办事凭证: printouts of applications. `issue` signs the record (Ed25519) and renders the PDF,
 * each issue being its own printout under a new code; `verify` is public: what a printout must
 * say and whether it still holds; `publicKey` is what receivers check signatures with offline.
 */
export class PrintoutsUseCase {
  constructor(
    private readonly deps: {
      uow: UnitOfWork;
      enforcer: PolicyEnforcer;
      organisation: Organisation;
      clock: Clock;
      printouts: PrintoutStore;
      signer: PrintoutSignerSource;
      renderer: PrintoutRenderer;
      readTrail: ReadTrail;
      /** The public address of the online check of a code (the QR code's target). */
      verifyUrl: (code: string) => string;
    },
  ) {}

  async issue(
    actor: Actor,
    applicationId: string,
  ): Promise<Result<IssuedPrintout, NotFoundError | NotAllowedError | ConflictError>> {
    const { uow, enforcer, organisation, clock, printouts, renderer } = this.deps;
    const person = actor.personId;
    const found = await uow.run(async (scope) => {
      const loaded = await loadApplication(scope.applications, applicationId);
      if (!loaded.ok) return loaded;
      const a = loaded.value;
      if (!(await mayRead({ enforcer, items: scope.serviceItems }, person, a))) return forbidden();
      if (!mayIssue(a, person)) {
        return err(
          new NotAllowedError(
            'PRINTOUT.NOT_ALLOWED',
            'only the applicant and the people who handle or handled the application may issue its printout',
          ),
        );
      }
      if (!printableNow(a)) {
        const where =
          a.state === 'in_progress' ? `in progress at '${a.activeNode ?? ''}', a step that is not printable` : a.state;
        return err(
          new ConflictError(
            'PRINTOUT.NOT_PRINTABLE',
            `a printout is issued once the application is completed, or at a step its process marks printable; it is ${where}`,
          ),
        );
      }
      const item = await scope.serviceItems.findById(a.current.itemId);
      return ok({
        a,
        history: await scope.applications.entries(a.id),
        service: { code: item?.code ?? '', name: item?.name ?? '' },
      });
    });
    if (!found.ok) return found;
    const { a, history, service } = found.value;
    const p = a.current;

    const [people, units] = await Promise.all([
      organisation.people([p.applicant.id, ...trailActors(history)]),
      organisation.units(),
    ]);
    const names = new Map(people.map((x) => [x.id, x.name]));
    const issuedAt = clock.now();
    const base = printoutContent({
      application: a,
      history,
      service,
      names,
      issuedAt,
      applicant: {
        name: names.get(p.applicant.id) ?? p.applicant.id,
        unit: units.find((u) => u.key === p.applicant.unit)?.name ?? null,
      },
    });
    const signer = await this.deps.signer();

    for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
      const code = newVerificationCode(globalThis.crypto.getRandomValues(new Uint8Array(8)));
      const content: PrintoutContent = { ...base, code };
      const bytes = canonicalBytes(content);
      const signature = signer.sign(bytes);
      const verifyUrl = this.deps.verifyUrl(code);
      // rendered before anything is stored: a printout on record always had its document
      const document = await renderer.render({ content, signature, keyId: signer.keyId, verifyUrl });
      const record: PrintoutRecord = {
        code,
        applicationId: a.id,
        content,
        signature,
        keyId: signer.keyId,
        historySeq: p.lastSeq,
        issuedAt,
        issuedBy: person,
        revokedAt: null,
        revokedReason: null,
      };
      const stored = await printouts.add(record, {
        action: 'printout.issued',
        actorId: person,
        requestId: actor.requestId,
        unit: a.owningUnit,
        at: issuedAt,
        after: {
          code,
          applicationId: a.id,
          caseNumber: content.caseNumber,
          keyId: signer.keyId,
          contentSha256: await sha256(bytes),
        },
        event: { code, applicationId: a.id, caseNumber: content.caseNumber },
      });
      if (stored) {
        if (person !== p.applicant.id) {
          this.deps.readTrail.record({
            at: issuedAt,
            readerId: person,
            subjectId: p.applicant.id,
            applicationId: a.id,
            what: 'printout',
            detail: code,
            requestId: actor.requestId,
          });
        }
        return ok({
          code,
          applicationId: a.id,
          caseNumber: content.caseNumber,
          issuedAt: content.issuedAt,
          verifyUrl,
          fileName: `${content.caseNumber || 'printout'}-${code}.pdf`,
          contentType: renderer.contentType,
          document,
        });
      }
    }
    throw new Error(`no free verification code after ${CODE_ATTEMPTS} attempts`);
  }

  /**
   * The online check of a code as typed (any case, dashes optional). Whether the printout still
   * holds is decided now, from what happened to the application since it was issued; a
   * revocation, once seen, is kept.
   */
  async verify(input: { code: string; requestId?: string }): Promise<Result<PrintoutVerification, NotFoundError>> {
    const code = normaliseVerificationCode(input.code);
    if (!code) return notFound();
    let printout = await this.deps.printouts.findByCode(code);
    if (!printout) return notFound();
    if (!printout.revokedAt) {
      const { applicationId, historySeq } = printout;
      const a = await this.deps.uow.run(async (scope) => {
        const found = await scope.applications.findById(applicationId);
        return found
          ? { owningUnit: found.owningUnit, since: await scope.applications.entries(applicationId, historySeq) }
          : null;
      });
      const revocation = a ? revocationOf(a.since, historySeq) : null;
      if (revocation) {
        printout =
          (await this.deps.printouts.revoke(code, revocation, {
            action: 'printout.revoked',
            actorId: 'system',
            requestId: input.requestId ?? null,
            unit: a?.owningUnit ?? null,
            at: this.deps.clock.now(),
            after: { code, applicationId, reason: revocation.reason, revokedAt: revocation.at.toISOString() },
            event: { code, applicationId, reason: revocation.reason },
          })) ?? printout;
      }
    }
    return ok(await verification(printout));
  }

  async publicKey(): Promise<Result<PrintoutPublicKey, never>> {
    const signer = await this.deps.signer();
    return ok({ keyId: signer.keyId, algorithm: 'Ed25519', publicKeyPem: signer.publicKeyPem });
  }
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function verification(p: PrintoutRecord): Promise<PrintoutVerification> {
  const c = p.content;
  return {
    code: p.code,
    status: p.revokedAt ? 'revoked' : 'valid',
    ...(p.revokedAt ? { revokedReason: p.revokedReason ?? 'revoked', revokedAt: p.revokedAt.toISOString() } : {}),
    issuedAt: c.issuedAt,
    keyId: p.keyId,
    algorithm: 'Ed25519',
    summary: {
      caseNumber: c.caseNumber,
      service: { code: c.service.code, name: c.service.name },
      applicantName: c.applicant.name,
      result: c.result,
      issuedAt: c.issuedAt,
    },
    signature: p.signature,
    contentSha256: await sha256(canonicalBytes(c)),
  };
}
