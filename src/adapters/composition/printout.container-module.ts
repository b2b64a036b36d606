import { ContainerModule } from 'inversify';
import type { Knex } from 'knex';
import type { Config } from '../../config.js';
import { CLOCK, type Clock } from '../../application/ports/clock.port.js';
import { ORGANISATION, type Organisation } from '../../application/ports/organisation.port.js';
import { POLICY_ENFORCER, type PolicyEnforcer } from '../../application/ports/policy-enforcer.port.js';
import { PRINTOUT_READER, PRINTOUT_RENDERER, type PrintoutRenderer } from '../../application/ports/printout.port.js';
import { PRINTOUT_SIGNER_SOURCE, PRINTOUT_STORE, type PrintoutSignerSource, type PrintoutStore } from '../../application/ports/printout-store.port.js';
import { UNIT_OF_WORK, type UnitOfWork } from '../../application/ports/unit-of-work.port.js';
import { PrintoutsUseCase } from '../../application/printouts/printouts.use-case.js';
import { KnexPrintoutStore } from '../driven/objection/knex-printout-store.js';
import { defaultSigningKeyFile, loadOrCreateSigningKey } from '../driven/printout/ed25519-signer.js';
import { PdfPrintoutReader } from '../driven/printout/pdf-printout-reader.js';
import { PdfkitPrintoutRenderer } from '../driven/printout/pdfkit-renderer.js';
import { USE_CASES } from './tokens.js';

/** Where the QR code of a printout leads: the online check of its code. */
export const verifyUrlOf = (publicUrl: string) => (code: string): string => `${publicUrl}/api/v1/verify/${code}`;

/**
 * Printouts (办事凭证): the signing key (HALL_SIGNING_KEY_FILE, or generated under the data dir by
 * the embedded default), loaded once per container on first use; the pdfkit renderer, which reads
 * its 8 MB CJK font on first use too; the printouts table; and the use case.
 */
export const printoutModule = (knex: Knex, config: Pick<Config, 'dataDir' | 'publicUrl' | 'signingKeyFile'>) => new ContainerModule(({ bind }) => {
  let loading: ReturnType<PrintoutSignerSource> | undefined;
  const keyFile = config.signingKeyFile ?? defaultSigningKeyFile(config.dataDir);
  // a failed load (e.g. an unreadable key file) is tried again on the next use
  bind<PrintoutSignerSource>(PRINTOUT_SIGNER_SOURCE).toConstantValue(() => loading ??= loadOrCreateSigningKey(keyFile)
    .then((r) => r.signer, (e: unknown) => { loading = undefined; throw e; }));
  let pdfkit: PdfkitPrintoutRenderer | undefined;
  bind<PrintoutRenderer>(PRINTOUT_RENDERER).toConstantValue({
    contentType: 'application/pdf',
    render: (input) => (pdfkit ??= new PdfkitPrintoutRenderer()).render(input),
  });
  bind(PRINTOUT_READER).toConstantValue(new PdfPrintoutReader());
  bind<PrintoutStore>(PRINTOUT_STORE).toConstantValue(new KnexPrintoutStore(knex));
  bind(USE_CASES.printouts).toDynamicValue((ctx) => new PrintoutsUseCase({
    uow: ctx.get<UnitOfWork>(UNIT_OF_WORK),
    enforcer: ctx.get<PolicyEnforcer>(POLICY_ENFORCER),
    organisation: ctx.get<Organisation>(ORGANISATION),
    clock: ctx.get<Clock>(CLOCK),
    printouts: ctx.get<PrintoutStore>(PRINTOUT_STORE),
    signer: ctx.get<PrintoutSignerSource>(PRINTOUT_SIGNER_SOURCE),
    renderer: ctx.get<PrintoutRenderer>(PRINTOUT_RENDERER),
    verifyUrl: verifyUrlOf(config.publicUrl),
  })).inSingletonScope();
});
