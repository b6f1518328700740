// Uploads reach the ingest function through EventBridge (no custom-resource bucket notification), with an input
// transformer that rebuilds the S3-notification shape the handler reads. Render the deployed transformer on a
// real-shaped "Object Created" event and hand the result to the handler's own parser.
import { describe, expect, it } from 'vitest';
import { eventObjects } from '../../functions/handlers/ingest.js';
import { extractForIntent } from '../../functions/handlers/extract.js';
import { functionsByEntry, resourcesOfType, synth, type Json } from './helpers.js';

/** The rule whose target is the function of this handler module. */
function ruleFor(json: Json, entry: string): Json {
  const [fnId] = functionsByEntry(json).get(entry)!;
  const rules = resourcesOfType(json, 'AWS::Events::Rule').filter(([, r]) =>
    r.Properties.Targets.some((t: Json) => t.Arn?.['Fn::GetAtt']?.[0] === fnId),
  );
  expect(rules).toHaveLength(1);
  return rules[0]![1];
}

/** What EventBridge does with an InputTransformer: each <name> becomes the JSON of the value at its path. */
function render(transformer: { InputPathsMap: Record<string, string>; InputTemplate: string }, event: Json) {
  const at = (path: string) =>
    path
      .slice(2)
      .split('.')
      .reduce((v, k) => v?.[k], event);
  const text = transformer.InputTemplate.replace(/<([\w-]+)>/g, (_, name: string) =>
    JSON.stringify(at(transformer.InputPathsMap[name]!)),
  );
  return JSON.parse(text);
}

const objectCreated = {
  version: '0',
  id: '17793124-05d4-b198-2fde-7ededc63b103',
  'detail-type': 'Object Created',
  source: 'aws.s3',
  account: '111122223333',
  time: '2026-11-26T10:15:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:s3:::bridgekeeper-documents'],
  detail: {
    version: '0',
    bucket: { name: 'bridgekeeper-documents' },
    object: {
      key: 'uploads/acme-pay/0123456789abcdef0123456789abcdef.pdf',
      size: 48213,
      etag: 'b1946ac92492d2347c6235b4d2611184',
      'version-id': 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e',
      sequencer: '00617F08299329D189',
    },
    'request-id': 'N4N7GDK58NMKJ12R',
    requester: '111122223333',
    reason: 'PutObject',
  },
};

describe('the upload event', () => {
  it('reaches the ingest handler in the shape it parses', () => {
    const { json } = synth();
    const rule = ruleFor(json, 'functions/handlers/ingest.ts');
    expect(rule.Properties.EventPattern.detail.object.key).toEqual([{ prefix: 'uploads/' }]);
    const [target] = rule.Properties.Targets;
    const event = render(target.InputTransformer, objectCreated);
    // The key and the version the ingest pins the document to.
    expect(eventObjects(event)).toEqual([
      { key: objectCreated.detail.object.key, versionId: 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e' },
    ]);
    expect(event.Records[0].s3.object).toMatchObject({
      size: 48213,
      versionId: 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e',
    });
    expect(rule.Properties.EventPattern['detail-type']).toEqual(['Object Created']);
    expect(target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
  });
});

describe('the settled intent', () => {
  it('reaches the extraction handler, on intents/ only, in the shape it reads', async () => {
    const { json } = synth();
    const rule = ruleFor(json, 'functions/handlers/extract.ts');
    expect(rule.Properties.EventPattern.detail.object.key).toEqual([{ prefix: 'intents/' }]);
    const [target] = rule.Properties.Targets;
    const key = 'intents/acme-pay/0123456789abcdef0123456789abcdef.json';
    const event = render(target.InputTransformer, {
      ...objectCreated,
      detail: { ...objectCreated.detail, object: { ...objectCreated.detail.object, key } },
    });
    // The handler reads the intent the event names (and nothing when it is not a received one).
    const read: string[] = [];
    const files = { getJson: async (k: string) => (read.push(k), undefined) } as never;
    expect(await extractForIntent({ files, vendors: {} as never }, event.Records[0].s3.object.key)).toBe(
      'ignored',
    );
    expect(read).toEqual([key]);
    expect(target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
  });
});
