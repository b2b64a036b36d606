import { Flags } from '@oclif/core';
import { writeFile, unlink } from 'node:fs/promises';
import { BaseCommand } from '../../base-command.js';
import type { EvaluationManifest } from '../../../src/application/evaluations/annual-evaluation.use-case.js';

export interface EvalExportResult {
  file: string;
  manifestFile: string;
  filingId: string;
  manifest: EvaluationManifest;
}

export default class EvalExport extends BaseCommand<typeof EvalExport> {
  static override summary =
    "Export a year's annual efficiency evaluation (年度效能评估, Art. 18) as XLSX or CSV, and file it (备案).";
  static override description =
    'Writes FILE and FILE.manifest.json (format, SHA-256, size, year, unit, as-of, provisional, definitions ' +
    'version) and records the filing with its audit entry. A year that is over gives the same bytes every time; ' +
    'a year not over is cut off now and marked provisional. Never overwrites a file.';

  static override flags = {
    year: Flags.integer({ description: 'the civil year (China time)', required: true }),
    unit: Flags.string({ description: 'one unit only (its key); the university sheet is left out' }),
    format: Flags.string({ description: 'the file format', options: ['xlsx', 'csv'], default: 'xlsx' }),
    out: Flags.string({ description: 'the file to write (default evaluation-<year>[-<unit>].<format>)' }),
  };

  static override examples = [
    '<%= config.bin %> <%= command.id %> --year 2026 --operator T0001',
    '<%= config.bin %> <%= command.id %> --year 2026 --unit finance --format csv --out finance-2026.csv --operator T0001',
  ];

  async run(): Promise<EvalExportResult> {
    const r = this.unwrap(
      await this.useCases.annualEvaluation.export({
        actor: await this.operator(),
        year: this.flags.year,
        unitKey: this.flags.unit,
        format: this.flags.format,
      }),
    );
    const file = this.flags.out ?? r.fileName;
    const manifestFile = `${file}.manifest.json`;
    const manifest = { ...r.manifest, file: file.split(/[\\/]/).pop()! };
    const fail = (f: string) => (e: NodeJS.ErrnoException) =>
      this.error(`cannot write ${f}: ${e.code ?? e.message} (the export was filed as ${r.filing.id})`, { exit: 2 });
    await writeFile(file, r.bytes, { flag: 'wx' }).catch(fail(file));
    await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' }).catch(async (e) => {
      await unlink(file).catch(() => undefined);
      return fail(manifestFile)(e as NodeJS.ErrnoException);
    });
    this.log(
      `${file}: ${r.manifest.size} bytes, sha256 ${r.manifest.sha256}${r.manifest.provisional ? ' (provisional: the year is not over)' : ''}`,
    );
    this.log(`filed as ${r.filing.id}; manifest ${manifestFile}`);
    return { file, manifestFile, filingId: r.filing.id, manifest };
  }
}
