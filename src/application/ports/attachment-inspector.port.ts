import type { AttachmentType } from '../../domain/application/attachment-policy.js';

/**
 * Reads an uploaded file as a whole, as the type its first bytes claim: a PDF must parse as a PDF
 * (header, objects, cross-reference, trailer, pages, nothing appended), an image must be a complete
 * image. A file that only starts like one (a PDF header in front of an executable) is refused.
 */
export interface AttachmentInspector {
  /** Why the content is not a well-formed file of `type`; null when it is one. */
  inspect(o: { type: AttachmentType; content: Buffer }): Promise<string | null>;
}
