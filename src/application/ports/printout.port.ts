import type { PrintoutContent } from '../../domain/printout/printout.js';

/** Signs printouts (Ed25519 by default). The public key is published so receivers can verify. */
export interface PrintoutSigner {
  /** A short fingerprint of the public key, printed on the printout and kept with it. */
  readonly keyId: string;
  /** SPKI PEM. */
  readonly publicKeyPem: string;
  /** The signature of data, base64url. */
  sign(data: Uint8Array): string;
  /** Whether signature (base64url) is this key's signature of data. */
  verify(data: Uint8Array, signature: string): boolean;
}

export interface PrintoutRenderInput {
  content: PrintoutContent;
  /** Of canonicalBytes(content), base64url. */
  signature: string;
  keyId: string;
  /** Where the QR code leads: the online check of this printout's code. */
  verifyUrl: string;
}

/** Renders the printout document (PDF), with the signed content embedded for offline checks. */
export interface PrintoutRenderer {
  readonly contentType: string;
  render(input: PrintoutRenderInput): Promise<Buffer>;
}

/** What a printout file carries, read back without a server. */
export interface EmbeddedPrintout {
  content: PrintoutContent;
  /** The embedded bytes, exactly as signed. */
  canonical: Uint8Array;
  signature: string;
  keyId: string;
}

export type PrintoutCheck =
  | { status: 'authentic'; content: PrintoutContent; keyId: string }
  /** The signature does not match the embedded content, or the content cannot be read. */
  | { status: 'altered'; content?: PrintoutContent; keyId?: string }
  | { status: 'not-a-printout' }
  /** Signed with another key than the one given. */
  | { status: 'unknown-key'; content: PrintoutContent; keyId: string };

/** Reads and checks a printout file offline (e.g. one uploaded for verification). */
export interface PrintoutReader {
  read(file: Buffer): EmbeddedPrintout | null;
  verify(file: Buffer, publicKeyPem: string): PrintoutCheck;
}

/** The keys printouts are checked with, from the PEM files people hold. */
export interface PrintoutKeys {
  /**
   * The public key (SPKI PEM) and key id of a PEM holding either a public key or a private key
   * (whose public key is meant). Throws, saying why, when the PEM holds no key of the printouts' kind.
   */
  publicKeyOf(pem: string): { publicKeyPem: string; keyId: string };
}
