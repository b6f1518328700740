// `bridgekeeper start` (npm start): the whole of Bridgekeeper on this machine, on loopback, until Ctrl-C.
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError, type Command } from '../command.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const HELP = `Usage: bridgekeeper start [--port N] [--data-dir DIR]

Starts everything on 127.0.0.1: the DynamoDB-compatible store, the S3-compatible document store, the SES
mailbox with its web view, the lifecycle workflow runner with a virtual clock, and the web pages for vendor
managers, compliance leads and vendors. The first run loads examples/portfolio.json; state persists in the data
directory, and a restart picks every vendor's lifecycle up where it was. Prints the URLs and "ready"; Ctrl-C
stops everything.

Options:
  --port N          Port of the web pages (default 3000; 0 picks a free one)
  --data-dir DIR    Where state is kept (default .data)
  --seed FILE       Portfolio to load on the first run (default examples/portfolio.json)
  -h, --help        This help

Example:
  npm start -- --port 3001 --data-dir /tmp/bk
`;

function parsePort(value: string | undefined): number {
  if (value === undefined) return 3000;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new UsageError(`--port ${value} is not a port number (0-65535)`);
  return port;
}

export const command: Command = {
  name: 'start',
  summary: 'Start the whole stack on this machine (npm start)',
  help: HELP,
  options: {
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    seed: { type: 'string' },
  },
  positionals: [0, 0],
  async run({ values, io }) {
    const port = parsePort(values.port as string | undefined);
    const dataDir = resolve(io.cwd, (values['data-dir'] as string | undefined) ?? '.data');
    const seed = resolve(
      io.cwd,
      (values.seed as string | undefined) ?? resolve(ROOT, 'examples/portfolio.json'),
    );
    if (!existsSync(seed)) throw new UsageError(`--seed ${seed}: no such file`);
    // Handler logs: warnings and errors only, so the terminal shows the URLs and what goes wrong.
    process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
    const { startPeopleStack } = await import('../../local/people-stack.js');
    io.stdout.write(`Starting Bridgekeeper (data in ${relative(io.cwd, dataDir) || '.'}) ...\n`);
    let stack;
    try {
      stack = await startPeopleStack({
        root: ROOT,
        dataDir,
        port,
        seedPortfolio: seed,
        onError: (error) =>
          io.stderr.write(`bridgekeeper start: ${(error as Error)?.stack ?? String(error)}\n`),
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        io.stderr.write(
          `bridgekeeper start: port ${port} is already in use (is Bridgekeeper already running?). ` +
            `Stop the other program, or choose another port: npm start -- --port ${port + 1}\n`,
        );
        return 1;
      }
      throw error;
    }
    const now = stack.embedded.clock.now().toISOString().slice(0, 16).replace('T', ' ');
    io.stdout.write(
      [
        '',
        stack.seeded
          ? `Loaded ${stack.seeded} vendors from ${relative(io.cwd, seed)}; started ${stack.started} lifecycles.`
          : `Picked up ${stack.started} vendor lifecycles from ${relative(io.cwd, dataDir) || '.'}.`,
        '',
        `  Portfolio (compliance lead)   ${stack.url}/`,
        `  Review queue (vendor manager) ${stack.url}/review`,
        `  Staff sign-in                 ${stack.url}/signin   (the embedded OpenID provider: pick a person)`,
        `  OpenID provider               ${stack.oidc.issuer}/.well-known/openid-configuration`,
        `  Mailbox (vendor upload links) ${stack.url}/_local/mailbox`,
        `  Local clock                   ${now} UTC (jump forward from the bar on every page)`,
        '',
        'Check the audit trail of this data (while this runs, or after), in another terminal:',
        `  npx bridgekeeper audit verify --data-dir ${relative(io.cwd, dataDir) || '.'}`,
        '',
        'Press Ctrl-C to stop.',
        'ready',
        '',
      ].join('\n'),
    );

    await new Promise<void>((done) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        done();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    io.stdout.write('Stopping ...\n');
    await stack.stop();
    io.stdout.write('stopped\n');
    // Everything is closed; if a library left a timer behind, do not hang the terminal for it.
    setTimeout(() => process.exit(0), 3000).unref();
    return 0;
  },
};
