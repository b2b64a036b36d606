/** Start-of-frame markers (baseline, progressive, lossless, arithmetic): not C4 (DHT), C8 (JPG), CC (DAC). */
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
const SOS = 0xda;
const EOI = 0xd9;
const isRestart = (m: number) => m >= 0xd0 && m <= 0xd7;

/**
 * Why `content` is not a whole JPEG, or null: SOI, then marker segments whose lengths stay inside
 * the file, a frame header with non-zero dimensions before the first scan, entropy-coded scans,
 * and EOI as the last bytes (nothing appended).
 */
export function jpegProblem(content: Buffer): string | null {
  if (content.length < 4 || content[0] !== 0xff || content[1] !== 0xd8) return 'no JPEG start-of-image marker';
  let offset = 2;
  let frame = false;
  let scans = 0;
  while (offset < content.length) {
    if (content[offset] !== 0xff) return 'a marker was expected';
    while (content[offset] === 0xff) offset++; // fill bytes
    const marker = content[offset];
    if (marker === undefined) return 'the file is cut short';
    offset++;
    if (marker === EOI) {
      if (!frame || !scans) return 'it ends before any image';
      return offset === content.length ? null : 'bytes follow the end-of-image marker';
    }
    if (isRestart(marker) || marker === 0x01) continue;
    if (offset + 2 > content.length) return 'the file is cut short';
    const length = content.readUInt16BE(offset);
    if (length < 2 || offset + length > content.length) return 'a segment runs past the end of the file';
    if (SOF.has(marker)) {
      if (length < 8) return 'its frame header is too short';
      const height = content.readUInt16BE(offset + 3);
      const width = content.readUInt16BE(offset + 5);
      if (!width || !height) return 'its frame header has no dimensions';
      frame = true;
    }
    offset += length;
    if (marker === SOS) {
      if (!frame) return 'a scan comes before the frame header';
      scans++;
      // entropy-coded data: runs to the next marker that is neither a stuffed 0xFF00 nor a restart
      while (offset < content.length) {
        if (content[offset] === 0xff) {
          const next = content[offset + 1];
          if (next === undefined) return 'the file is cut short';
          if (next !== 0x00 && !isRestart(next) && next !== 0xff) break;
        }
        offset++;
      }
    }
  }
  return 'no end-of-image marker: the file is cut short';
}
