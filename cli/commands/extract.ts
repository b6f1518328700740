// `bridgekeeper extract REPORT.pdf`: intake assist from the command line. Prints the fields read from the
// report as one JSON object keyed by the portfolio's document field names, each { value, page }, for scripts
// and tests. Pure: reads one file, runs the PDF adapter and the rules, prints; no AWS SDK, no network.
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError, type Command } from '../command.js';
import { ValidationError } from '../../functions/core/errors.js';
import { extractReport } from '../../functions/adapters/pdf/extract-report.js';
import { PDF_TEXT_LIMITS } from '../../functions/adapters/pdf/pdf-text.js';

const HELP = `Usage: bridgekeeper extract REPORT.pdf

Read a SOC report or bridge letter and print what it states, as one JSON object keyed by the
portfolio's document fields (docs/intake.md), each {"value": ..., "page": N} with the 1-based page
it was read from: kind, periodStart, periodEnd (a Type I's "as of" date), coversFrom, coversTo
(bridge letters), issued, opinion, opinionBasis (a modified opinion's basis), auditor, categories,
exceptions, cuecs, subservices (lists also carry "pages", one per item). A field the report does not
state clearly is left out. Nothing is accepted automatically: this pre-fills a review.

A PDF without a text layer (a scan) prints {"textLayer": false} and exits 0: enter its fields by hand.

Exit 0 with the JSON on stdout; 2 with the reason on stderr when the file cannot be read or is not a
readable PDF (at most 50 MB, not password-protected).

Options:
  -h, --help  Show this help.

Example:
  bridgekeeper extract acme-soc2-type2.pdf
`;

async function readReport(cwd: string, file: string): Promise<Uint8Array> {
  const path = resolve(cwd, file);
  try {
    // Refused before it is read when it is larger than the adapter would take.
    const info = await stat(path);
    if (info.isDirectory()) throw new UsageError(`cannot read ${file}: it is a directory`);
    if (info.size > PDF_TEXT_LIMITS.maxBytes)
      throw new UsageError(
        `cannot read ${file}: it is ${(info.size / 1024 / 1024).toFixed(1)} MB; the limit is ${PDF_TEXT_LIMITS.maxBytes / 1024 / 1024} MB`,
      );
    return new Uint8Array(await readFile(path));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new UsageError(`cannot read ${file}: ${reason}`);
  }
}

export const command: Command = {
  name: 'extract',
  summary: 'Read the fields of a SOC report or bridge letter (PDF) as JSON',
  help: HELP,
  options: {},
  positionals: [1, 1],
  async run({ positionals, io }) {
    const file = positionals[0] as string;
    const bytes = await readReport(io.cwd, file);
    let extraction;
    try {
      extraction = await extractReport(bytes);
    } catch (error) {
      // One line naming the file: the adapter's problems have no path of their own.
      if (error instanceof ValidationError)
        throw new UsageError(`cannot read ${file}: ${error.problems.map((p) => p.message).join('; ')}`);
      throw error;
    }
    if (!extraction.textLayer) {
      io.stderr.write(
        `bridgekeeper extract: ${file} has no text layer (${extraction.pageCount} page(s), a scan?): enter its fields by hand\n`,
      );
      io.stdout.write(`${JSON.stringify({ textLayer: false }, null, 2)}\n`);
      return 0;
    }
    if (extraction.truncated)
      io.stderr.write(
        `bridgekeeper extract: ${file} is larger than the reading limits; fields read from its first ${extraction.pagesRead} of ${extraction.pageCount} page(s)\n`,
      );
    io.stdout.write(`${JSON.stringify(extraction.fields, null, 2)}\n`);
    return 0;
  },
};
