// The contract every `bridgekeeper` subcommand module implements (cli/commands/<name>.ts exports `command`).
import type { ParseArgsConfig } from 'node:util';

export interface CommandIo {
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface CommandContext {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
  io: CommandIo;
}

export interface Command {
  name: string;
  /** One line for `bridgekeeper --help`. */
  summary: string;
  /** The full `--help` text: usage line, options, examples. */
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** How many positional arguments the command takes: [min, max]. */
  positionals: [number, number];
  run(context: CommandContext): Promise<number>;
}

/** Wrong use of the command line: exit 2 with a pointer to --help. */
export class UsageError extends Error {}
