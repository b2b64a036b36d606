/** What the hall accepts as attachments: the declared type must match what the bytes are. */
export const ATTACHMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

const SIGNATURES: Array<[AttachmentType, number[]]> = [
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]], // %PDF-
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
];

/** The type the content really is, by its magic bytes; null when it is none the hall accepts. */
export function sniffAttachmentType(content: Uint8Array): AttachmentType | null {
  for (const [type, magic] of SIGNATURES) {
    if (content.length >= magic.length && magic.every((b, i) => content[i] === b)) return type;
  }
  return null;
}

/** A file name safe to store and to send back in Content-Disposition: no paths, no control characters. */
export function cleanFileName(name: string): string | null {
  const base = [...name.split(/[\\/]/).pop()!]
    .filter((c) => c.charCodeAt(0) >= 0x20 && c !== '\u007f' && c !== '"')
    .join('')
    .trim();
  return base.length >= 1 && base.length <= 200 && base !== '.' && base !== '..' ? base : null;
}
