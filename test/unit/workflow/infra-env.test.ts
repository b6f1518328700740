// The lifecycle's Lambdas as the full stack deploys them: each carries its handler metadata and the environment
// its handler reads (the needs of LIFECYCLE_FUNCTIONS, mapped by the infra), so the deployed functions start.
import { describe, expect, it } from 'vitest';
import { LIFECYCLE_FUNCTIONS } from '../../../workflows/lifecycle.js';
import { ENV_FOR_NEED } from '../../../functions/ports/needs.js';

describe('lifecycle functions in the synthesized stack', () => {
  it('each has its handler metadata and the variables its handler reads', { timeout: 180_000 }, async () => {
    const { buildApp } = await import('../../../infra/build.js');
    const { app, stack } = buildApp({ skipBundling: true, nag: false });
    const template = app.synth().getStackByName(stack.stackName).template as {
      Resources: Record<
        string,
        {
          Type: string;
          Metadata?: Record<string, string>;
          Properties: { Environment?: { Variables?: Record<string, unknown> } };
        }
      >;
    };
    const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    for (const [name, spec] of Object.entries(LIFECYCLE_FUNCTIONS)) {
      const fn = functions.find((f) => f.Metadata?.['Bridgekeeper::Handler'] === spec.entry);
      expect(fn, `${name}: ${spec.entry}`).toBeDefined();
      const vars = Object.keys(fn!.Properties.Environment?.Variables ?? {});
      // What runtime.ts reads (TABLE_NAME always; the rest by need) plus the variables every function gets.
      const wanted = new Set(['TABLE_NAME', 'PUBLIC_BASE_URL', ...spec.needs.map((n) => ENV_FOR_NEED[n])]);
      for (const v of wanted) expect(vars, `${name} lacks ${v}`).toContain(v);
    }
  });
});
