// How a running embedded stack (`npm start`) tells the CLI where its servers are: DIR/endpoints.json in its data
// directory, written on start and removed on stop. The embedded DynamoDB keeps its files to itself while it
// runs, so `bridgekeeper audit verify --data-dir DIR` and the other storage commands go through these servers.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ENDPOINTS_FILE = 'endpoints.json';

export interface EmbeddedEndpoints {
  dynamodb: string;
  kms: string;
  s3: string;
  tableName: string;
  macKey: string;
  documentsBucket: string;
  /** The stack's process: a file left by a killed stack names a dead pid and is ignored. */
  pid: number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The running stack's endpoints on this data directory, if one runs. */
export function runningStack(dataDir: string): EmbeddedEndpoints | undefined {
  const file = join(dataDir, ENDPOINTS_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const endpoints = JSON.parse(readFileSync(file, 'utf8')) as EmbeddedEndpoints;
    return Number.isInteger(endpoints.pid) && alive(endpoints.pid) ? endpoints : undefined;
  } catch {
    return undefined;
  }
}
