import { imageSize } from 'image-size';
import type { AttachmentInspector } from '../../../application/ports/attachment-inspector.port.js';
import type { AttachmentType } from '../../../domain/application/attachment-policy.js';
import { jpegProblem } from './jpeg-structure.js';
import { pdfProblem } from './pdf-structure.js';
import { pngProblem } from './png-structure.js';

const IMAGE_SIZE_TYPE: Partial<Record<AttachmentType, string>> = { 'image/png': 'png', 'image/jpeg': 'jpg' };

/** Each accepted type read by its own structure; images must also give their size to image-size as that type. */
export class StructuralAttachmentInspector implements AttachmentInspector {
  async inspect(o: { type: AttachmentType; content: Buffer }): Promise<string | null> {
    if (o.type === 'application/pdf') return pdfProblem(o.content);
    const problem = o.type === 'image/png' ? pngProblem(o.content) : jpegProblem(o.content);
    if (problem) return problem;
    try {
      const size = imageSize(o.content);
      if (size.type !== IMAGE_SIZE_TYPE[o.type] || !size.width || !size.height) return 'it is not a readable image';
    } catch {
      return 'it is not a readable image';
    }
    return null;
  }
}
