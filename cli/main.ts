// `bridgekeeper <command>`: parses the command line strictly and maps errors to exit codes, once.
import { parseArgs } from 'node:util';
import type { Command, CommandIo } from './command.js';
import { UsageError } from './command.js';
import { DomainError, ValidationError, formatProblem } from '../functions/core/errors.js';

/** Commands load lazily so that `assess` never pays for the AWS SDK or CDK. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ command: Command }> }> = {
  assess: {
    summary: 'Assess every vendor of a portfolio as of a date',
    load: () => loadCommand('assess'),
  },
  import: {
    summary: 'Load a portfolio (JSON or CSV) into the table',
    load: () => loadCommand('import'),
  },
  extract: {
    summary: 'Read the fields of a SOC report or bridge letter (PDF) as JSON',
    load: () => loadCommand('extract'),
  },
  audit: {
    summary: 'Verify or export the tamper-evident audit trail',
    load: () => loadCommand('audit'),
  },
  findings: {
    summary: 'The findings register (table, JSON or CSV)',
    load: () => loadCommand('findings'),
  },
  forecast: {
    summary: 'Who lapses in the next 30/60/90 days; coverage by tier over 12 months',
    load: () => loadCommand('forecast'),
  },
  calendar: {
    summary: "Write a member of staff's calendar feed (iCalendar)",
    load: () => loadCommand('calendar'),
  },
  simulate: {
    summary: 'Run the lifecycle workflow over a virtual calendar',
    load: () => loadCommand('simulate'),
  },
  start: {
    summary: 'Start the whole stack on this machine (npm start)',
    load: () => loadCommand('start'),
  },
};

const EXIT_USAGE = 2;

/** Each command lives in cli/commands/<name>.ts and exports `command`. */
function loadCommand(name: string): Promise<{ command: Command }> {
  // @vite-ignore: resolved at run time (tsx maps .js to .ts; so does vitest once vite leaves the call alone).
  return import(/* @vite-ignore */ `./commands/${name}.js`) as Promise<{ command: Command }>;
}

function topLevelHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: bridgekeeper <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    "Run 'bridgekeeper <command> --help' for a command's options.",
    '',
  ].join('\n');
}

const processIo: CommandIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
};

export async function main(argv: string[], io: CommandIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(topLevelHelp());
    return name === undefined ? EXIT_USAGE : 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    io.stderr.write(`bridgekeeper: unknown command '${name}'\n\n${topLevelHelp()}`);
    return EXIT_USAGE;
  }
  let command: Command;
  try {
    ({ command } = await entry.load());
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' &&
      String(error).includes(`${name}.`)
    ) {
      io.stderr.write(`bridgekeeper: '${name}' is not available in this build\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
    return 0;
  }
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const [min, max] = command.positionals;
    if (parsed.positionals.length < min)
      throw new UsageError(`missing argument: see 'bridgekeeper ${name} --help'`);
    if (parsed.positionals.length > max)
      throw new UsageError(
        `unexpected argument '${parsed.positionals[max]}': see 'bridgekeeper ${name} --help'`,
      );
    return await command.run({ values: parsed.values, positionals: parsed.positionals, io });
  } catch (error) {
    return reportError(name, error, io);
  }
}

/** The one place errors become exit codes: 2 for anything the user can fix, 1 for everything else. */
export function reportError(name: string, error: unknown, io: CommandIo): number {
  if (error instanceof UsageError) {
    io.stderr.write(`bridgekeeper ${name}: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof ValidationError) {
    for (const problem of error.problems) io.stderr.write(`${formatProblem(problem)}\n`);
    io.stderr.write(
      `bridgekeeper ${name}: input refused (${error.problems.length} problem(s)); nothing was written\n`,
    );
    return EXIT_USAGE;
  }
  if (error instanceof DomainError) {
    io.stderr.write(`bridgekeeper ${name}: ${error.message}\n`);
    return 1;
  }
  io.stderr.write(`bridgekeeper ${name}: ${(error as Error)?.stack ?? String(error)}\n`);
  return 1;
}
