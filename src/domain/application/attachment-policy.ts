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

/** The file name extensions each accepted type may carry. */
export const ATTACHMENT_EXTENSIONS: Readonly<Record<AttachmentType, readonly string[]>> = {
  'application/pdf': ['pdf'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
};

/** Extensions of files that run or open as programs or active documents: never part of an attachment's name. */
const RUNNABLE = new Set(
  (
    'exe com bat cmd scr pif msi msp mst dll cpl ocx jar js jse mjs vbs vbe wsf wsh wsc hta ps1 psm1 psd1 ' +
    'sh bash zsh csh ksh apk ipa dmg deb rpm iso vhd lnk reg scf chm html htm xhtml shtml svg ' +
    'py pyw pl rb php asp aspx jsp docm xlsm pptm dotm xltm'
  ).split(' '),
);

/**
 * Characters that are not text (C0 controls, DEL, C1 controls) or that change how a name reads
 * without being seen: bidirectional overrides, embeddings and isolates (U+202E turns
 * "invoice\u202Efdp.exe" into what reads as "invoiceexe.pdf"), marks, zero-width characters.
 */
function isHidden(codePoint: number): boolean {
  return (
    codePoint < 0x20 ||
    (codePoint >= 0x7f && codePoint <= 0x9f) ||
    codePoint === 0x061c ||
    (codePoint >= 0x200b && codePoint <= 0x200f) ||
    (codePoint >= 0x202a && codePoint <= 0x202e) ||
    (codePoint >= 0x2060 && codePoint <= 0x2064) ||
    (codePoint >= 0x2066 && codePoint <= 0x2069) ||
    codePoint === 0xfeff
  );
}

export type FileNameCheck = { ok: true; name: string } | { ok: false; message: string };

/**
 * A file name safe to store and to send back in Content-Disposition: the last path segment, with no
 * control or bidirectional characters, no runnable extension anywhere in it ("x.exe.pdf"), and an
 * extension that matches the file's type when that type is known.
 */
export function checkFileName(given: string, type: AttachmentType | null): FileNameCheck {
  const name = given.split(/[\\/]/).pop()!.replaceAll('"', '').trim();
  if (name.length < 1 || name.length > 200 || name === '.' || name === '..')
    return { ok: false, message: 'a file name of 1 to 200 characters' };
  if ([...name].some((c) => isHidden(c.codePointAt(0)!)))
    return { ok: false, message: 'control and bidirectional-formatting characters (e.g. U+202E) are not allowed' };
  const parts = name.toLowerCase().split('.');
  const runnable = parts.slice(1).find((ext) => RUNNABLE.has(ext.trim()));
  if (runnable) return { ok: false, message: `a name with the extension .${runnable} is not accepted` };
  if (type) {
    const allowed = ATTACHMENT_EXTENSIONS[type];
    const extension = parts.length > 1 ? parts[parts.length - 1]! : '';
    if (!allowed.includes(extension))
      return { ok: false, message: `the name of a ${type} file ends with ${allowed.map((e) => `.${e}`).join(' or ')}` };
  }
  return { ok: true, name };
}

/**
 * A stored name as it may be shown or sent back (Content-Disposition): without hidden characters,
 * so a name stored before they were refused cannot read as another file type.
 */
export function displayFileName(name: string): string {
  return [...name].filter((c) => !isHidden(c.codePointAt(0)!)).join('');
}
