import { CheckPrintoutFileUseCase } from '../../application/printouts/check-printout-file.use-case.js';
import { VerifyEvidenceBundleUseCase } from '../../application/audit/verify-evidence-bundle.use-case.js';
import { VerifyConsistencyProofUseCase } from '../../application/audit/verify-consistency-proof.use-case.js';
import { VerifyArchiveFileUseCase } from '../../application/audit/archive-file.js';
import type { NoteVerifier } from '../../application/ports/audit-checkpoints.port.js';
import type { Sha256 } from '../../application/ports/hasher.port.js';
import type { PrintoutKeys, PrintoutReader } from '../../application/ports/printout.port.js';
import { defaultSigningKeyFile, Ed25519PrintoutKeys } from '../driven/printout/ed25519-signer.js';
import { PdfPrintoutReader } from '../driven/printout/pdf-printout-reader.js';
import { Ed25519NoteVerifier } from '../driven/audit/ed25519-checkpoint-keys.js';
import { NodeSha256 } from '../driven/audit/node-sha256.js';

/**
 * What runs with no server and no database (hall receipt verify, hall audit verify-bundle,
 * verify-consistency and verify-archive): only file and key checks, so nothing here opens a
 * connection or reads the configuration a server needs.
 */
export function buildOfflineUseCases(): {
  checkPrintoutFile: CheckPrintoutFileUseCase;
  verifyEvidenceBundle: VerifyEvidenceBundleUseCase;
  verifyConsistencyProof: VerifyConsistencyProofUseCase;
  verifyArchiveFile: VerifyArchiveFileUseCase;
} {
  const { printoutReader, printoutKeys } = offlinePrintoutPorts();
  const { sha256, noteVerifier } = offlineAuditPorts();
  return {
    checkPrintoutFile: new CheckPrintoutFileUseCase({ reader: printoutReader, keys: printoutKeys }),
    verifyEvidenceBundle: new VerifyEvidenceBundleUseCase({ sha256, notes: noteVerifier }),
    verifyConsistencyProof: new VerifyConsistencyProofUseCase({ sha256, notes: noteVerifier }),
    verifyArchiveFile: new VerifyArchiveFileUseCase({ sha256, notes: noteVerifier }),
  };
}

/** The hall's own signing key file: HALL_SIGNING_KEY_FILE, else the embedded default under HALL_DATA_DIR. */
export function printoutKeyFileOf(env: NodeJS.ProcessEnv): string {
  return env.HALL_SIGNING_KEY_FILE || defaultSigningKeyFile(env.HALL_DATA_DIR || './var');
}

/** What checks a printout file without a server or a database; the API has the same. */
export function offlinePrintoutPorts(): { printoutReader: PrintoutReader; printoutKeys: PrintoutKeys } {
  return { printoutReader: new PdfPrintoutReader(), printoutKeys: new Ed25519PrintoutKeys() };
}

/** What checks audit evidence without a server or a database: SHA-256 and signed-note verification. */
export function offlineAuditPorts(): { sha256: Sha256; noteVerifier: NoteVerifier } {
  return { sha256: new NodeSha256(), noteVerifier: new Ed25519NoteVerifier() };
}
