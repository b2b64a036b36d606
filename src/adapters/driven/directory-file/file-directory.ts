import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Directory } from '../../../application/ports/directory.port.js';
import type { Person } from '../../../application/ports/organisation.port.js';

const entry = z
  .object({
    id: z.string().min(1).max(64),
    name: z.string().min(1).max(100),
    type: z.enum(['staff', 'student']),
    unit: z.string().min(1).max(64),
    status: z.enum(['active', 'left', 'retired', 'suspended']),
    email: z.string().email().nullable().optional(),
  })
  .strict();

/** A minimal RFC 4180 reader: quoted fields, doubled quotes, commas and newlines inside quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
    } else field += c;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

/**
 * People from an HR export: a JSON array, or CSV with the header id,name,type,unit,status[,email].
 * A malformed file is refused whole, naming every bad line, so a broken export never disables people.
 */
export class FileDirectory implements Directory {
  constructor(private readonly file: string) {}

  async people(): Promise<Person[]> {
    const text = (await readFile(this.file, 'utf8')).replace(/^\uFEFF/, '');
    let records: unknown[];
    if (this.file.endsWith('.json')) {
      records = JSON.parse(text) as unknown[];
      if (!Array.isArray(records)) throw new Error(`${this.file}: expected a JSON array of people`);
    } else {
      const [header, ...rows] = parseCsv(text);
      if (!header) return [];
      records = rows.map((r) =>
        Object.fromEntries(header.map((h, i) => [h.trim(), r[i]?.trim() === '' ? undefined : r[i]?.trim()])),
      );
    }
    const problems: string[] = [];
    const people = records.flatMap((r, i) => {
      const p = entry.safeParse(r);
      if (!p.success) {
        problems.push(`entry ${i + 1}: ${p.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`);
        return [];
      }
      return [
        {
          id: p.data.id,
          name: p.data.name,
          type: p.data.type,
          unit: p.data.unit,
          status: p.data.status,
          email: p.data.email ?? null,
        },
      ];
    });
    if (problems.length)
      throw new Error(`${this.file} is not a valid directory export:\n  ${problems.slice(0, 20).join('\n  ')}`);
    return people;
  }
}
