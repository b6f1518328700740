// The layering rule (eslint.config.js LAYER_ZONES, README "Layering") fails the lint on a wrong import: each case
// lints a one-line file placed in a layer, importing a real module of another layer.
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const x = y;\n`, { filePath });
  return result!.messages
    .filter((m) => m.ruleId === 'import-x/no-restricted-paths' || m.ruleId === 'import-x/no-unresolved')
    .map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the layering rule', () => {
  it.each([
    [
      'functions/core/wrong.ts',
      "import { clientConfig as y } from '../adapters/aws.js';",
      'functions/core is pure',
    ],
    [
      'functions/core/wrong.ts',
      "import { Vendors as y } from '../app/vendors.js';",
      'functions/core is pure',
    ],
    [
      'functions/ports/wrong.ts',
      "import { logger as y } from '../edge/logger.js';",
      'functions/ports may import functions/core only',
    ],
    [
      'functions/app/wrong.ts',
      "import { DynamoEventStore as y } from '../adapters/dynamodb/event-store.js';",
      'functions/app works through the ports',
    ],
    [
      'functions/adapters/wrong.ts',
      "import { Vendors as y } from '../app/vendors.js';",
      'an adapter implements a port',
    ],
    [
      'functions/handlers/wrong.ts',
      "import { runPlan as y } from './plan.js';",
      'never imports another handler',
    ],
    [
      'functions/handlers/wrong.ts',
      "import { startKms as y } from '../../local/kms.js';",
      'never imports another handler, local',
    ],
    [
      'functions/web/wrong.ts',
      "import { openVendors as y } from '../edge/vendors.js';",
      'functions/web renders pages',
    ],
    [
      'infra/wrong.ts',
      "import { startKms as y } from '../local/kms.js';",
      'infra and workflows build from the catalogue',
    ],
    ['local/wrong.ts', "import { main as y } from '../cli/main.js';", 'local never imports cli'],
  ])('%s: %s is refused', async (file, code, message) => {
    const errors = await layeringErrors(file, code);
    expect(errors.join('\n')).toContain(message);
  });

  it.each([
    ['functions/core/fine.ts', "import { addDays as y } from './dates.js';"],
    ['functions/app/fine.ts', "import type { EventStore as y } from '../ports/event-store.js';"],
    ['functions/handlers/fine.ts', "import { openVendors as y } from '../edge/vendors.js';"],
    ['local/fine.ts', "import { openVendors as y } from '../functions/edge/vendors.js';"],
  ])('%s: %s is allowed', async (file, code) => {
    expect(await layeringErrors(file, code)).toEqual([]);
  });

  it('an import it cannot resolve is an error, not a silent pass', async () => {
    expect(
      (await layeringErrors('functions/core/typo.ts', "import { y } from './no-such-module.js';")).join(),
    ).toContain('import-x/no-unresolved');
  });
});
