// The embedded runner runs the definition CDK synthesizes: it differs from the template's DefinitionString
// only in resolved tokens and, for callback tasks, exactly the listed timeout fields.
import { describe, expect, it } from 'vitest';
import {
  forRunner,
  synthesizeLifecycle,
  TIMEOUT_PAYLOAD_KEY,
  INTERPRETER_TIMEOUT_SECONDS,
} from '../../../local/runner/definition.js';

/** The fields the runner takes over (and only these), per callback state. */
const TAKEN_OVER = ['TimeoutSecondsPath', 'TimeoutSeconds', `Parameters.Payload.${TIMEOUT_PAYLOAD_KEY}.$`];

function flatten(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out[prefix] = JSON.stringify(value);
  return out;
}

describe.each(['infra', 'lifecycle-only'] as const)(
  'the runner runs the synthesized definition (%s)',
  (source) => {
    it(
      'resolves every token and changes only the callback timeout fields',
      { timeout: 180_000 },
      async () => {
        const lifecycle = await synthesizeLifecycle(source, { fresh: true });
        if (source === 'infra') expect(lifecycle.source).toBe('BridgekeeperStack');
        const raw = JSON.stringify(lifecycle.rawDefinitionString);
        expect(raw).toContain('Fn::GetAtt');
        // The template's text with each token replaced by a marker parses to the same shape as the resolved one.
        const template = (lifecycle.rawDefinitionString['Fn::Join'][1] as unknown[])
          .map((p) => (typeof p === 'string' ? p : 'TOKEN'))
          .join('');
        const marked = JSON.parse(template);
        expect(Object.keys(marked.States)).toEqual(Object.keys(lifecycle.definition.States));
        expect(marked.States.Plan.Parameters.FunctionName).toBe('TOKEN');
        expect(JSON.stringify(lifecycle.definition)).not.toMatch(/Fn::|"Ref"/);
        for (const arn of lifecycle.handlers.keys())
          expect(arn).toMatch(/^arn:aws:lambda:us-east-1:000000000000:function:/);

        const local = flatten(forRunner(lifecycle.definition));
        const synthesized = flatten(lifecycle.definition);
        const differing = [...new Set([...Object.keys(local), ...Object.keys(synthesized)])].filter(
          (k) => local[k] !== synthesized[k],
        );
        const callbackStates = Object.entries(lifecycle.definition.States)
          .filter(([, s]) => String((s as { Resource: string }).Resource).endsWith('.waitForTaskToken'))
          .map(([name]) => name);
        expect(callbackStates).toEqual(['Sleep']);
        expect(differing.sort()).toEqual(
          callbackStates.flatMap((s) => TAKEN_OVER.map((f) => `States.${s}.${f}`)).sort(),
        );
        expect(local[`States.Sleep.TimeoutSeconds`]).toBe(String(INTERPRETER_TIMEOUT_SECONDS));
        expect(local[`States.Sleep.Parameters.Payload.${TIMEOUT_PAYLOAD_KEY}.$`]).toBe(
          synthesized['States.Sleep.TimeoutSecondsPath'],
        );
      },
    );

    it('binds each Lambda of the machine to its handler module', { timeout: 180_000 }, async () => {
      const lifecycle = await synthesizeLifecycle(source);
      const bound = new Set(
        Object.values(
          lifecycle.definition.States as Record<string, { Parameters?: { FunctionName?: string } }>,
        )
          .map((s) => s.Parameters?.FunctionName)
          .filter((f): f is string => f !== undefined)
          .map((f) => lifecycle.handlers.get(f)),
      );
      expect([...bound].sort()).toEqual([
        'functions/handlers/plan.ts',
        'functions/handlers/record-failure.ts',
        'functions/handlers/wait.ts',
      ]);
    });
  },
);
