// The CLI does not print the AWS SDK's Node.js-version notice at people: on Node.js 20 every command that loads
// the SDK (import, audit) would end with eight lines of "NodeVersionSupportWarning: ... will require node >=22".
// The SDK's own switch, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true (aws/aws-sdk-js-v3#7983), is set by
// bin/bridgekeeper.js before anything loads the SDK. Run as people run it: `node bin/bridgekeeper.js ...` in a
// fresh directory, with the switch absent from the environment.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const cwd = mkdtempSync(path.join(tmpdir(), 'bk-cli-warning-'));
const env = { ...process.env };
delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
const major = Number(process.versions.node.split('.')[0]);

afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const cli = (...args: string[]) =>
  run(process.execPath, [path.join(root, 'bin', 'bridgekeeper.js'), ...args], { cwd, env, timeout: 60_000 });

describe('the CLI on this Node.js', () => {
  it.skipIf(major >= 22)(
    'would get the notice from the SDK without the switch (the check below is live)',
    async () => {
      const script =
        "import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';" +
        "const c = new DynamoDBClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', maxAttempts: 1, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });" +
        'await c.send(new ListTablesCommand({})).catch(() => {});';
      const { stderr } = await run(process.execPath, ['--input-type=module', '-e', script], {
        cwd: root,
        env,
      });
      expect(stderr).toMatch(/NodeVersionSupportWarning/);
    },
  );

  it('import and audit print their own lines only', async () => {
    const imported = await cli('import', path.join(root, 'examples', 'portfolio.json'));
    expect(imported.stdout).toMatch(/^imported 12 vendors/);
    expect(imported.stderr).not.toMatch(/NodeVersionSupportWarning|Warning:/);
    const audited = await cli('audit', 'verify');
    expect(audited.stdout).toMatch(/events in 12 vendors verified/);
    expect(audited.stderr).not.toMatch(/NodeVersionSupportWarning|Warning:/);
  });
});
