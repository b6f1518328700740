// `bridgekeeper import PORTFOLIO.json` | `bridgekeeper import --vendors vendors.csv [--documents documents.csv]
// [--subservices subservices.csv]`: validates the whole input first (assess's messages; nothing written unless all of it is valid), then appends to
// each vendor's log exactly the events that take it to the imported state. Re-importing appends nothing.
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { UsageError, type Command, type CommandIo } from '../command.js';
import { STORAGE_HELP, STORAGE_OPTIONS, openStore } from '../storage-options.js';
import { importPortfolio } from '../../functions/app/import.js';
import { parsePortfolioCsv } from '../../functions/core/portfolio-csv.js';
import { parsePortfolioJson, type Portfolio } from '../../functions/core/portfolio.js';

const HELP = `Usage: bridgekeeper import PORTFOLIO.json [storage options]
       bridgekeeper import --vendors vendors.csv [--documents documents.csv] [--subservices subservices.csv]
                           [--compliance-lead EMAIL] [storage options]

Load a portfolio into the table: new vendors are registered, changed fields and new documents are recorded,
imported documents no longer listed are withdrawn (uploaded documents are never touched), and vendors absent
from the input are left as they are. Every change is an event in the vendor's audit trail, by
{"kind": "import", "by": $USER}. Re-importing the same input changes nothing.

The whole input is validated first, with assess's messages (CSV problems also name file, row and column);
if anything is wrong nothing is written and the exit code is 2.

Options:
  --vendors FILE           vendors.csv: one row per vendor (columns in the README, "Import a portfolio")
  --documents FILE         documents.csv: one row per document, linked by vendorId. Without it, the
                           vendors' documents are left as they are.
  --subservices FILE       subservices.csv: the subservice organisations (fourth parties) that reports
                           name, one row per document of each, with its id and name. Each is stored as its
                           own record beside the vendors (its documents managed like a vendor's).
  --compliance-lead EMAIL  The portfolio-wide compliance lead, for vendors whose row names none.
  --concurrency N          Vendors written at once (default 16).
  -h, --help               Show this help.

${STORAGE_HELP}

Prints one line: vendors created / updated / unchanged and events appended, and one more for subservice
organisations when the input lists them. A progress bar goes to stderr when it is a terminal.

Examples:
  bridgekeeper import examples/portfolio.json
  bridgekeeper import --vendors examples/vendors.csv --documents examples/documents.csv \\
      --compliance-lead tprm@bank.example
  bridgekeeper import --vendors examples/fourth-parties/vendors.csv \\
      --documents examples/fourth-parties/documents.csv --subservices examples/fourth-parties/subservices.csv \\
      --compliance-lead tprm@bank.example
`;

async function readInput(cwd: string, file: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new UsageError(`cannot read ${file}: ${reason}`);
  }
}

/** Reads and validates the input, touching no storage. */
export async function readPortfolioInput(
  values: Record<string, unknown>,
  positionals: string[],
  cwd: string,
): Promise<{ portfolio: Portfolio; manageDocuments: boolean }> {
  const vendorsFile = values.vendors as string | undefined;
  const documentsFile = values.documents as string | undefined;
  const subservicesFile = values.subservices as string | undefined;
  const lead = values['compliance-lead'] as string | undefined;
  const json = positionals[0];
  if (json !== undefined && (vendorsFile || documentsFile || subservicesFile || lead))
    throw new UsageError('give either PORTFOLIO.json or --vendors/--documents CSV files, not both');
  if (json === undefined && !vendorsFile)
    throw new UsageError(
      documentsFile || subservicesFile
        ? `${documentsFile ? '--documents' : '--subservices'} needs --vendors`
        : "missing PORTFOLIO.json or --vendors: see 'bridgekeeper import --help'",
    );
  if (json !== undefined)
    return { portfolio: parsePortfolioJson(await readInput(cwd, json)), manageDocuments: true };
  const vendors = {
    name: basename(vendorsFile as string),
    text: await readInput(cwd, vendorsFile as string),
  };
  const documents = documentsFile
    ? { name: basename(documentsFile), text: await readInput(cwd, documentsFile) }
    : undefined;
  const subservices = subservicesFile
    ? { name: basename(subservicesFile), text: await readInput(cwd, subservicesFile) }
    : undefined;
  const portfolio = parsePortfolioCsv({
    vendors,
    ...(documents ? { documents } : {}),
    ...(subservices ? { subservices } : {}),
    ...(lead !== undefined ? { complianceLeadEmail: lead } : {}),
  });
  return { portfolio, manageDocuments: documents !== undefined };
}

function progressBar(io: CommandIo): ((done: number, total: number) => void) | undefined {
  if (!io.stderr.isTTY) return undefined;
  let last = 0;
  return (done, total) => {
    const now = performance.now();
    if (done !== total && now - last < 100) return;
    last = now;
    const width = 30;
    const filled = Math.round((done / total) * width);
    io.stderr.write(
      `\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} vendors${done === total ? '\n' : ''}`,
    );
  };
}

export const command: Command = {
  name: 'import',
  summary: 'Load a portfolio (JSON or CSV) into the table',
  help: HELP,
  options: {
    vendors: { type: 'string' },
    documents: { type: 'string' },
    subservices: { type: 'string' },
    'compliance-lead': { type: 'string' },
    concurrency: { type: 'string' },
    ...STORAGE_OPTIONS,
  },
  positionals: [0, 1],
  async run({ values, positionals, io }) {
    const concurrency = values.concurrency === undefined ? 16 : Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)
      throw new UsageError(`--concurrency: '${String(values.concurrency)}' is not a number from 1 to 256`);
    // Validation first: nothing below runs (no table is even opened) unless the whole input is valid.
    const { portfolio, manageDocuments } = await readPortfolioInput(values, positionals, io.cwd);
    const opened = await openStore(values, io);
    try {
      const onProgress = progressBar(io);
      const summary = await importPortfolio(opened.store, portfolio, {
        actor: { kind: 'import', by: io.env.USER || 'cli' },
        manageDocuments,
        concurrency,
        ...(onProgress ? { onProgress } : {}),
      });
      io.stdout.write(
        `imported ${portfolio.vendors.length} vendors into ${opened.tableName}: ${summary.created} created, ` +
          `${summary.updated} updated, ${summary.unchanged} unchanged; ${summary.events} events appended\n`,
      );
      const organizations = summary.organizations;
      if (organizations)
        io.stdout.write(
          `imported ${portfolio.subserviceOrganizations?.length ?? 0} subservice organisations: ` +
            `${organizations.created} created, ${organizations.updated} updated, ${organizations.unchanged} unchanged; ` +
            `${organizations.events} events appended\n`,
        );
      return 0;
    } finally {
      await opened.close();
    }
  },
};
