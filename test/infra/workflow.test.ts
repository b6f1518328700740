// The state machine deployed on AWS is the one the embedded runner executes: the runner takes its definition
// from this very stack (local/runner/definition.ts), so the two must be equal, token for token, with each
// Lambda in it bound to the same handler module.
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  forRunner,
  lifecycleFromTemplate,
  synthesizeLifecycle,
  type SynthesizedLifecycle,
} from '../../local/runner/definition.js';
import { LIFECYCLE_FUNCTIONS } from '../../workflows/lifecycle.js';
import { functionsByEntry, onlyResource, synth, type Json } from './helpers.js';

/** asl-validator (CommonJS, no types): the Amazon States Language checks aws-local-stepfunctions would run. */
const validateAsl = createRequire(import.meta.url)('asl-validator') as (
  definition: unknown,
  options?: { checkArn?: boolean; checkPaths?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };

let json: Json;
let deployed: SynthesizedLifecycle;
let runner: SynthesizedLifecycle;

beforeAll(async () => {
  json = synth().json;
  deployed = lifecycleFromTemplate(json, 'BridgekeeperStack');
  runner = await synthesizeLifecycle('infra');
});

describe('the lifecycle state machine', () => {
  it('is taken by the runner from the BridgekeeperStack, not a stand-in', () => {
    expect(runner.source).toBe('BridgekeeperStack');
  });

  it('has the same DefinitionString in the template as the runner runs', () => {
    expect(runner.rawDefinitionString).toEqual(
      onlyResource(json, 'AWS::StepFunctions::StateMachine')[1].Properties.DefinitionString,
    );
    expect(runner.definition).toEqual(deployed.definition);
    expect(runner.stateMachineName).toBe('Bridgekeeper-lifecycle');
  });

  it('is valid Amazon States Language, as deployed and as the runner runs it (which therefore skips the check)', () => {
    // The runner builds its interpreter with `noValidate`: checking the definition on every start cost about a
    // tenth of a `simulate` run (the validator compiles its JSON schemas each time). It is checked here instead,
    // once per CI run, on the deployed definition and on the runner's adaptation of it.
    for (const definition of [deployed.definition, forRunner(deployed.definition)]) {
      const { isValid, errorsText } = validateAsl(structuredClone(definition), {
        checkArn: false,
        checkPaths: true,
      });
      expect(isValid, errorsText('\n')).toBe(true);
    }
    // And it can fail: a state whose Next names no state.
    const broken = structuredClone(deployed.definition);
    const [first] = Object.keys(broken.States);
    broken.States[first!].Next = 'NoSuchState';
    delete broken.States[first!].End;
    expect(validateAsl(broken, { checkArn: false, checkPaths: true }).isValid).toBe(false);
  });

  it('binds every Lambda state to the handler module of the deployed function', () => {
    expect([...runner.handlers]).toEqual([...deployed.handlers]);
    const byEntry = functionsByEntry(json);
    const resources = new Set<string>();
    const visit = (value: Json): void => {
      if (value && typeof value === 'object') {
        if (typeof value.FunctionName === 'string') resources.add(value.FunctionName);
        Object.values(value).forEach(visit);
      }
    };
    visit(runner.definition.States);
    const lifecycleEntries = (['plan', 'wait', 'recordFailure'] as const).map(
      (n) => LIFECYCLE_FUNCTIONS[n].entry,
    );
    const bound = [...resources].map((arn) => runner.handlers.get(arn));
    expect(bound.sort()).toEqual([...lifecycleEntries].sort());
    for (const entry of lifecycleEntries) expect(byEntry.has(entry)).toBe(true);
  });
});
