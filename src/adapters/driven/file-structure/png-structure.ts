import { crc32, inflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Bits per pixel sample count by colour type (PNG spec, 11.2.2). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** The decompressed image data checked at most: a larger picture is no scanned form (and no zip bomb gets further). */
export const MAX_PNG_RAW_BYTES = 64 * 1024 * 1024;

/**
 * Why `content` is not a whole PNG, or null: the signature, then chunks whose CRCs match, IHDR
 * first with a sane header, at least one IDAT whose data inflates to exactly the scanlines the
 * header announces (non-interlaced) or at least inflates (interlaced), and IEND as the last bytes.
 */
export function pngProblem(content: Buffer): string | null {
  if (content.length < SIGNATURE.length || !content.subarray(0, 8).equals(SIGNATURE)) return 'no PNG signature';
  let offset = 8;
  let header: { width: number; height: number; bitDepth: number; colourType: number; interlace: number } | null = null;
  const data: Buffer[] = [];
  let ended = false;
  while (offset + 12 <= content.length) {
    const length = content.readUInt32BE(offset);
    const type = content.toString('latin1', offset + 4, offset + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) return 'a chunk has no valid type';
    const end = offset + 12 + length;
    if (end > content.length) return 'a chunk runs past the end of the file';
    if (crc32(content.subarray(offset + 4, offset + 8 + length)) !== content.readUInt32BE(offset + 8 + length))
      return `the CRC of chunk ${type} does not match`;
    const body = content.subarray(offset + 8, offset + 8 + length);
    if (!header) {
      if (type !== 'IHDR' || length !== 13) return 'the first chunk is not IHDR';
      header = {
        width: body.readUInt32BE(0),
        height: body.readUInt32BE(4),
        bitDepth: body[8]!,
        colourType: body[9]!,
        interlace: body[12]!,
      };
    } else if (type === 'IDAT') data.push(body);
    else if (type === 'IEND') {
      ended = true;
      offset = end;
      break;
    }
    offset = end;
  }
  if (!header) return 'no IHDR chunk';
  if (!ended) return 'no IEND chunk: the file is cut short';
  if (offset !== content.length) return 'bytes follow the IEND chunk';
  const channels = CHANNELS[header.colourType];
  if (!header.width || !header.height || !channels || ![1, 2, 4, 8, 16].includes(header.bitDepth))
    return 'its IHDR header is not valid';
  if (!data.length) return 'no image data (IDAT)';
  const rowBytes = Math.ceil((header.width * channels * header.bitDepth) / 8);
  const raw = header.height * (rowBytes + 1);
  if (raw > MAX_PNG_RAW_BYTES) return `the image is larger than ${MAX_PNG_RAW_BYTES} bytes decompressed`;
  let pixels: Buffer;
  try {
    pixels = inflateSync(Buffer.concat(data), { maxOutputLength: MAX_PNG_RAW_BYTES });
  } catch {
    return 'its image data does not decompress';
  }
  if (header.interlace === 0 && pixels.length !== raw) return 'its image data does not match its dimensions';
  return null;
}
