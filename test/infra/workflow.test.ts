// The state machine deployed on AWS is the one the embedded runner executes: the runner takes its definition
// from this very stack (local/runner/definition.ts), so the two must be equal, token for token, with each
// Lambda in it bound to the same handler module.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  lifecycleFromTemplate,
  synthesizeLifecycle,
  type SynthesizedLifecycle,
} from '../../local/runner/definition.js';
import { LIFECYCLE_FUNCTIONS } from '../../workflows/lifecycle.js';
import { functionsByEntry, onlyResource, synth, type Json } from './helpers.js';

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
