// The bundles themselves (the one infra test that runs esbuild): every function builds with the construct's
// options, carries the AWS SDK inside (no import left for the runtime to resolve but Node's own modules), and a
// fresh Node.js process can load it and find its `handler`, with none of the functions' configuration set.
import { build } from 'esbuild';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_CEILING_KB, CEILING_SLACK } from '../../infra/bundle-budget.js';
import { ESBUILD_OPTIONS, cdkBundling } from '../../infra/bundling.js';
import { startDynamoDb } from '../../local/dynamodb.js';
import { PROJECT_CATALOGS, PROJECT_ROOT, functionNameOf } from '../../infra/stack.js';
import { EXTRACT_FUNCTION } from '../../functions/catalog.js';

const entries = [
  ...new Set([
    ...Object.values(PROJECT_CATALOGS.lifecycle).map((f) => f.entry),
    PROJECT_CATALOGS.ingest.entry,
    ...(PROJECT_CATALOGS.extract ? [PROJECT_CATALOGS.extract.entry] : []),
    ...PROJECT_CATALOGS.routes.map((r) => r.entry),
  ]),
];
const execFileAsync = promisify(execFile);
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

let dir: string;
const outputs = new Map<string, { file: string; externals: string[]; inputs: string[] }>();

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'bk-bundles-'));
  await Promise.all(
    entries.map(async (entry) => {
      const file = path.join(dir, functionNameOf(entry), 'index.mjs');
      const result = await build({
        ...ESBUILD_OPTIONS,
        mainFields: [...ESBUILD_OPTIONS.mainFields],
        external: [...ESBUILD_OPTIONS.external],
        entryPoints: [path.join(PROJECT_ROOT, entry)],
        outfile: file,
        metafile: true,
        logLevel: 'silent',
      });
      const externals = Object.values(result.metafile.outputs).flatMap((o) =>
        o.imports.filter((i) => i.external).map((i) => i.path),
      );
      outputs.set(entry, { file, externals, inputs: Object.keys(result.metafile.inputs) });
    }),
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('function bundles', () => {
  it('are built with the options the construct gives NodejsFunction', () => {
    const cdk = cdkBundling();
    expect(cdk).toMatchObject({
      minify: true,
      keepNames: false,
      sourceMap: true,
      bundleAwsSDK: true,
      target: 'node22',
    });
    expect(cdk.format).toBe('esm');
    expect(cdk.externalModules).toEqual([]);
  });

  it('carry every dependency, the AWS SDK included', () => {
    for (const [entry, { externals }] of outputs) {
      expect(
        externals.filter((e) => !builtins.has(e)),
        entry,
      ).toEqual([]);
    }
  });

  it('keep the PDF library in the extraction function alone, within its own 2 MB budget', () => {
    for (const [entry, { inputs }] of outputs)
      expect(
        inputs.some((i) => i.includes('node_modules/unpdf')),
        entry,
      ).toBe(entry === EXTRACT_FUNCTION.entry);
    const size = statSync(outputs.get(EXTRACT_FUNCTION.entry)!.file).size;
    expect(size).toBeLessThanOrEqual(EXTRACT_FUNCTION.bundleBudgetBytes);
  });

  it('stay within their ceilings, which sit close above them (infra/bundle-budget.ts: the ratchet towards 300 KB)', () => {
    const names = new Set<string>();
    for (const [entry, { file }] of outputs) {
      if (entry === EXTRACT_FUNCTION.entry) continue;
      const name = functionNameOf(entry);
      names.add(name);
      const ceiling = BUNDLE_CEILING_KB[name];
      expect(ceiling, `${name} has no ceiling in infra/bundle-budget.ts`).toBeDefined();
      const kb = statSync(file).size / 1024;
      expect(kb, `${name}: ${kb.toFixed(1)} KB is above its ${ceiling} KB ceiling`).toBeLessThanOrEqual(
        ceiling!,
      );
      expect(
        kb,
        `${name}: its ${ceiling} KB ceiling is more than ${CEILING_SLACK * 100}% above its ${kb.toFixed(1)} KB: lower it`,
      ).toBeGreaterThanOrEqual(ceiling! * (1 - CEILING_SLACK));
    }
    // No ceiling for a function the stack no longer has.
    expect(Object.keys(BUNDLE_CEILING_KB).sort()).toEqual([...names].sort());
  });

  it('load in a fresh Node.js process and export a handler', () => {
    const files = [...outputs.values()].map((o) => pathToFileURL(o.file).href);
    const script = `const out = {}; for (const f of ${JSON.stringify(files)}) { try { out[f] = typeof (await import(f)).handler; } catch (e) { out[f] = 'error: ' + e.message; } } process.stdout.write(JSON.stringify(out));`;
    const result = spawnSync(
      process.execPath,
      ['--enable-source-maps', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1' },
      },
    );
    expect(result.status, result.stderr).toBe(0);
    const loaded = JSON.parse(result.stdout) as Record<string, string>;
    expect(Object.values(loaded)).toEqual(files.map(() => 'function'));
  });

  it('sign AWS calls with the Lambda environment’s credentials (the SDK’s credential chain is swapped out)', async () => {
    const file = path.join(dir, 'probe', 'index.mjs');
    const result = await build({
      ...ESBUILD_OPTIONS,
      mainFields: [...ESBUILD_OPTIONS.mainFields],
      external: [...ESBUILD_OPTIONS.external],
      stdin: {
        contents:
          "import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';\n" +
          'const client = new DynamoDBClient({ region: "us-east-1", endpoint: process.env.ENDPOINT });\n' +
          'try { const out = await client.send(new ListTablesCommand({})); console.log(JSON.stringify(out.TableNames)); }\n' +
          'catch (e) { console.log("error: " + e.message); }\n',
        resolveDir: PROJECT_ROOT,
        loader: 'ts',
      },
      outfile: file,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((i) => i.endsWith('infra/lambda/credentials.ts'))).toBe(true);
    expect(inputs.some((i) => i.includes('credential-provider-node'))).toBe(false);
    expect(inputs.some((i) => i.includes('nested-clients'))).toBe(false);

    const dynamo = await startDynamoDb({ port: 0 });
    try {
      // Asynchronously: the embedded server answers from this very process.
      const run = async (env: Record<string, string>) => {
        const { stdout } = await execFileAsync(process.execPath, [file], {
          env: { PATH: process.env.PATH ?? '', ENDPOINT: dynamo.endpoint, ...env },
          timeout: 30_000,
        });
        return stdout.trim();
      };
      expect(
        await run({
          AWS_ACCESS_KEY_ID: 'AKIDLAMBDA',
          AWS_SECRET_ACCESS_KEY: 'secret',
          AWS_SESSION_TOKEN: 't',
        }),
      ).toBe('[]');
      expect(await run({})).toMatch(
        /^error: credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set/,
      );
    } finally {
      await dynamo.stop();
    }
  });
});
