/**
 * Sets the modification date and time of every entry of a zip archive (local headers and central
 * directory alike) to one instant, in place. exceljs zips a workbook through JSZip, which stamps each
 * entry with the current time; with the stamps fixed, the same workbook gives the same bytes.
 * Only what JSZip writes is expected: no zip64, no archive comment containing the end signature.
 */
export function fixZipDates(
  zip: Uint8Array,
  at: { year: number; month: number; day: number; hour: number; minute: number; second: number },
): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const dosDate = ((Math.max(at.year, 1980) - 1980) << 9) | (at.month << 5) | at.day;
  const dosTime = (at.hour << 11) | (at.minute << 5) | Math.floor(at.second / 2);
  let end = -1;
  for (let i = zip.byteLength - 22; i >= 0; i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip archive: no end of central directory');
  const entries = view.getUint16(end + 10, true);
  let p = view.getUint32(end + 16, true);
  for (let n = 0; n < entries; n++) {
    if (view.getUint32(p, true) !== 0x02014b50) throw new Error('zip: bad central directory entry');
    view.setUint16(p + 12, dosTime, true);
    view.setUint16(p + 14, dosDate, true);
    const local = view.getUint32(p + 42, true);
    if (view.getUint32(local, true) !== 0x04034b50) throw new Error('zip: bad local file header');
    view.setUint16(local + 10, dosTime, true);
    view.setUint16(local + 12, dosDate, true);
    p += 46 + view.getUint16(p + 28, true) + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
  }
  return zip;
}

/** An instant's civil date and time in China (+08:00), as zip entries record local time. */
export function chinaClock(at: Date): {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
} {
  const d = new Date(at.getTime() + 8 * 3_600_000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}
