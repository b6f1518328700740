// Least privilege, function by function: each role holds exactly the actions its handler's declared needs call
// for, each on the resources of that need only, and each need's environment variable comes with it (and only
// with it). The expectations are written out here, independently of the construct's own table.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_SCHEMA } from '../../functions/adapters/dynamodb/table.js';
import { EXTRACT_FUNCTION, HTTP_ROUTES, INGEST_FUNCTION } from '../../functions/catalog.js';
import type { Need } from '../../functions/ports/needs.js';
import { PROJECT_ROOT } from '../../infra/stack.js';
import { LIFECYCLE_FUNCTIONS } from '../../workflows/lifecycle.js';
import {
  asArray,
  flat,
  functionsByEntry,
  onlyResource,
  scheduleOf,
  resourcesOfType,
  statementsOfRole,
  synth,
  type Json,
} from './helpers.js';

const BASE = [
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'sqs:SendMessage',
  'kms:GenerateDataKey',
  'kms:Decrypt',
];
const ACTIONS: Record<Need, string[]> = {
  'table:read': [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'kms:Decrypt',
    'kms:DescribeKey',
  ],
  'table:write': [
    'dynamodb:PutItem',
    // On the roll-call items only (see "UpdateItem reaches the roll-call's items only" below).
    'dynamodb:UpdateItem',
    'kms:Decrypt',
    'kms:DescribeKey',
    'kms:Encrypt',
    'kms:GenerateDataKey',
  ],
  'mail:send': ['ses:SendEmail'],
  'sfn:callback': ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
  'sfn:start': ['states:StartExecution', 'states:DescribeExecution'],
  'documents:read': ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 'kms:Decrypt'],
  'documents:write': ['s3:PutObject', 's3:DeleteObject', 'kms:GenerateDataKey', 'kms:Decrypt'],
  'documents:presign-upload': ['s3:PutObject', 'kms:GenerateDataKey', 'kms:Decrypt'],
  'mac:sign': ['kms:GenerateMac', 'kms:VerifyMac'],
  'documents:retain': ['s3:PutObjectRetention', 'kms:GenerateDataKey', 'kms:Decrypt'],
  'sessions:write': [
    'dynamodb:PutItem',
    'dynamodb:DeleteItem',
    'kms:Decrypt',
    'kms:DescribeKey',
    'kms:Encrypt',
    'kms:GenerateDataKey',
  ],
  'links:count': [
    'dynamodb:UpdateItem',
    'kms:Decrypt',
    'kms:DescribeKey',
    'kms:Encrypt',
    'kms:GenerateDataKey',
  ],
  'oidc:sign-in': ['secretsmanager:GetSecretValue'],
  'checkpoints:write': [
    's3:PutObject',
    's3:PutObjectRetention',
    's3:GetObject',
    's3:ListBucket',
    'kms:GenerateDataKey',
    'kms:Decrypt',
  ],
};
const ENV: Record<Need, string[]> = {
  'table:read': ['TABLE_NAME'],
  'table:write': ['TABLE_NAME'],
  'mail:send': ['MAIL_FROM', 'MAIL_CONFIGURATION_SET'],
  'sfn:callback': ['STATE_MACHINE_ARN'],
  'sfn:start': ['STATE_MACHINE_ARN'],
  'documents:read': ['DOCUMENTS_BUCKET'],
  'documents:write': ['DOCUMENTS_BUCKET'],
  'documents:presign-upload': ['DOCUMENTS_BUCKET'],
  'mac:sign': ['MAC_KEY_ID'],
  'documents:retain': ['DOCUMENTS_BUCKET'],
  'sessions:write': ['TABLE_NAME'],
  'links:count': ['TABLE_NAME'],
  'oidc:sign-in': [
    'OIDC_CLIENT_SECRET_ARN',
    'OIDC_ISSUER',
    'OIDC_CLIENT_ID',
    'OIDC_GROUPS_CLAIM',
    'STAFF_ROLE_MAPPING',
  ],
  'checkpoints:write': ['DOCUMENTS_BUCKET'],
};
/** The only statements that may delete or update items, each limited to its own partitions by leading key. */
const KEYED_WRITES: Record<string, { actions: string[]; prefixes: string[] }> = {
  SessionsWrite: {
    actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
    prefixes: ['SESSION#*', 'SIGNIN#*'],
  },
  LinkCounters: { actions: ['dynamodb:UpdateItem'], prefixes: ['LIMIT#*'] },
  RollCallUpdate: { actions: ['dynamodb:UpdateItem'], prefixes: ['ROLLCALL#*'] },
};
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:bridgekeeper/oidc-client-AbCdEf';
const NEED_VARIABLES = new Set(Object.values(ENV).flat());
const FORBIDDEN = [
  /^\*$/,
  /^[a-z0-9-]+:\*$/,
  /^dynamodb:(DeleteItem|UpdateItem|BatchWriteItem|DeleteTable|UpdateTable|Scan|PartiQL.*|RestoreTable.*)$/,
  /^s3:(DeleteObjectVersion|BypassGovernanceRetention|PutObjectLegalHold|PutBucket.*|DeleteBucket.*|PutLifecycleConfiguration)$/,
  /^kms:(ScheduleKeyDeletion|DisableKey|PutKeyPolicy|CreateGrant)$/,
  /^iam:/,
];

/** Each handler module's needs, from the catalogs (a route module's needs are the union of its routes'). */
function expectedNeeds(): Map<string, Set<Need>> {
  const out = new Map<string, Set<Need>>();
  const add = (entry: string, needs: readonly Need[]) => {
    const set = out.get(entry) ?? new Set<Need>();
    needs.forEach((n) => set.add(n));
    out.set(entry, set);
  };
  Object.values(LIFECYCLE_FUNCTIONS).forEach((f) => add(f.entry, f.needs));
  add(INGEST_FUNCTION.entry, INGEST_FUNCTION.needs);
  add(EXTRACT_FUNCTION.entry, EXTRACT_FUNCTION.needs);
  HTTP_ROUTES.forEach((r) => add(r.entry, r.needs));
  return out;
}

let json: Json;
let ids: {
  table: string;
  dataKey: string;
  macKey: string;
  bucket: string;
  queue: string;
  machineName: string;
};

beforeAll(() => {
  json = synth().json;
  ids = {
    table: onlyResource(json, 'AWS::DynamoDB::Table')[0],
    dataKey: onlyResource(json, 'AWS::DynamoDB::Table')[1].Properties.SSESpecification.KMSMasterKeyId[
      'Fn::GetAtt'
    ][0],
    macKey: resourcesOfType(json, 'AWS::KMS::Key').find(([, k]) => k.Properties.KeySpec === 'HMAC_256')![0],
    bucket: resourcesOfType(json, 'AWS::S3::Bucket').find(([, b]) => b.Properties.ObjectLockEnabled)![0],
    queue: onlyResource(json, 'AWS::SQS::Queue')[0],
    machineName: onlyResource(json, 'AWS::StepFunctions::StateMachine')[1].Properties.StateMachineName,
  };
});

describe('the intake-assist (extraction) function', () => {
  // Written out here, not derived from the catalogue: it reads the uploads and intents and records one event.
  it('may read the documents and the table and write the table (sealed), nothing else: no mail, no workflow, no object writes', () => {
    const [, fn] = functionsByEntry(json).get('functions/handlers/extract.ts')!;
    const actions = new Set(
      statementsOfRole(json, fn.Properties.Role['Fn::GetAtt'][0]).flatMap((s) => asArray<string>(s.Action)),
    );
    expect([...actions].sort()).toEqual(
      [
        ...BASE,
        'dynamodb:GetItem',
        'dynamodb:BatchGetItem',
        'dynamodb:Query',
        'dynamodb:PutItem',
        // The roll-call of the portfolio's status counts, written with each commit (RollCallUpdate, keyed).
        'dynamodb:UpdateItem',
        'kms:DescribeKey',
        'kms:Encrypt',
        's3:GetObject',
        's3:GetObjectVersion',
        's3:ListBucket',
        'kms:GenerateMac',
        'kms:VerifyMac',
      ]
        .filter((a, i, all) => all.indexOf(a) === i)
        .sort(),
    );
    for (const forbidden of ['s3:PutObject', 's3:DeleteObject', 'ses:SendEmail', 'states:SendTaskSuccess'])
      expect(actions.has(forbidden), forbidden).toBe(false);
    const variables = Object.keys(fn.Properties.Environment.Variables).filter((v) => NEED_VARIABLES.has(v));
    expect(variables.sort()).toEqual(['DOCUMENTS_BUCKET', 'MAC_KEY_ID', 'TABLE_NAME']);
  });
});

describe('every function', () => {
  it('exists for every catalog entry, and no other', () => {
    expect([...functionsByEntry(json).keys()].sort()).toEqual([...expectedNeeds().keys()].sort());
  });

  for (const [entry, needs] of expectedNeeds()) {
    describe(entry, () => {
      let fn: Json;
      let statements: Json[];
      let roleId: string;
      beforeAll(() => {
        fn = functionsByEntry(json).get(entry)![1];
        roleId = fn.Properties.Role['Fn::GetAtt'][0];
        statements = statementsOfRole(json, roleId);
      });

      it('has the shared defaults: Node.js 22 on arm64, JSON logs, dead letters, handler metadata', () => {
        expect(fn.Properties.Runtime).toBe('nodejs22.x');
        expect(fn.Properties.Architectures).toEqual(['arm64']);
        expect(fn.Properties.LoggingConfig.LogFormat).toBe('JSON');
        expect(fn.Properties.DeadLetterConfig).toEqual({ TargetArn: { 'Fn::GetAtt': [ids.queue, 'Arn'] } });
        expect(fn.Metadata['Bridgekeeper::Handler']).toBe(entry);
        expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
      });

      it('holds exactly the actions of its needs, and no managed policy', () => {
        const actions = new Set(statements.flatMap((s) => asArray<string>(s.Action)));
        const expected = new Set([...BASE, ...[...needs].flatMap((n) => ACTIONS[n])]);
        expect([...actions].sort()).toEqual([...expected].sort());
        expect(json.Resources[roleId].Properties.ManagedPolicyArns).toBeUndefined();
        expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
      });

      it('reaches each action’s own resources only', () => {
        const logGroup = fn.Properties.LoggingConfig.LogGroup.Ref;
        for (const s of statements) {
          const resources = asArray<Json>(s.Resource).map(flat);
          expect(resources).not.toContain('*');
          const service = asArray<string>(s.Action)[0]!.split(':')[0];
          const allowed: Record<string, RegExp[]> = {
            logs: [new RegExp(`^<${logGroup}\\.Arn>$`)],
            sqs: [new RegExp(`^<${ids.queue}\\.Arn>$`)],
            kms:
              asArray<string>(s.Action).join() === 'kms:GenerateMac,kms:VerifyMac'
                ? [new RegExp(`^<${ids.macKey}\\.Arn>$`)]
                : [new RegExp(`^<${ids.dataKey}\\.Arn>$`)],
            dynamodb: [
              new RegExp(`^<${ids.table}\\.Arn>$`),
              ...TABLE_SCHEMA.indexes.map((i) => new RegExp(`^<${ids.table}\\.Arn>/index/${i.name}$`)),
            ],
            s3: [
              new RegExp(`^<${ids.bucket}\\.Arn>/uploads/\\*$`),
              new RegExp(`^<${ids.bucket}\\.Arn>/intents/\\*$`),
              new RegExp(`^<${ids.bucket}\\.Arn>/checkpoints/\\*$`),
              new RegExp(`^<${ids.bucket}\\.Arn>$`),
            ],
            ses: [
              /:ses:<AWS::Region>:<AWS::AccountId>:(identity\/bank\.example|configuration-set\/<Mail.*>)$/,
            ],
            // The client secret named in the deployment's settings, and no other.
            secretsmanager: [new RegExp(`^${SECRET_ARN.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`)],
            states: [
              new RegExp(`:states:<AWS::Region>:<AWS::AccountId>:stateMachine:${ids.machineName}$`),
              // DescribeExecution only, on this machine's executions.
              ...(asArray<string>(s.Action).join() === 'states:DescribeExecution'
                ? [new RegExp(`:states:<AWS::Region>:<AWS::AccountId>:execution:${ids.machineName}:\\*$`)]
                : []),
            ],
          };
          for (const resource of resources) {
            expect(
              allowed[service!]?.some((re) => re.test(resource)),
              `${s.Sid}: ${resource}`,
            ).toBe(true);
          }
          // The data key only through its service; the MAC key is used directly (GenerateMac is a KMS call).
          if (service === 'kms' && s.Sid !== 'MacSign')
            expect(Object.keys(s.Condition.StringEquals)).toEqual(['kms:ViaService']);
          // The checkpoints are listed under their own prefix only.
          if (s.Sid === 'CheckpointsList')
            expect(s.Condition).toEqual({ StringLike: { 's3:prefix': ['checkpoints/*'] } });
          if (service === 'ses') {
            expect(s.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'bridgekeeper@bank.example' } });
          }
          // Write actions never reach an index, and writes to objects never the whole bucket.
          if (asArray<string>(s.Action).some((a) => /Put|Update|Write|Delete/.test(a))) {
            expect(resources.some((r) => r.includes('/index/') || r === `<${ids.bucket}.Arn>`)).toBe(false);
          }
        }
      });

      it('gets the environment variables of its needs, and no other need’s', () => {
        const variables = fn.Properties.Environment.Variables;
        const expected = new Set([...needs].flatMap((n) => ENV[n]));
        const present = Object.keys(variables).filter((v) => NEED_VARIABLES.has(v));
        expect(present.sort()).toEqual([...expected].sort());
        expect(variables.INSTITUTION_TIME_ZONE).toBe('UTC');
        expect(variables.MAIL_HOUR).toBe('9');
        expect(variables.PUBLIC_BASE_URL).toBeDefined();
      });
    });
  }
});

/** The IAM action behind each AWS SDK command the functions send (document-client commands included). */
const ACTION_OF_COMMAND: Record<string, string> = {
  GetCommand: 'dynamodb:GetItem',
  GetItemCommand: 'dynamodb:GetItem',
  BatchGetCommand: 'dynamodb:BatchGetItem',
  BatchGetItemCommand: 'dynamodb:BatchGetItem',
  QueryCommand: 'dynamodb:Query',
  PutCommand: 'dynamodb:PutItem',
  PutItemCommand: 'dynamodb:PutItem',
  UpdateCommand: 'dynamodb:UpdateItem',
  UpdateItemCommand: 'dynamodb:UpdateItem',
  DeleteCommand: 'dynamodb:DeleteItem',
  DeleteItemCommand: 'dynamodb:DeleteItem',
  BatchWriteCommand: 'dynamodb:BatchWriteItem',
  BatchWriteItemCommand: 'dynamodb:BatchWriteItem',
  TransactWriteCommand: 'dynamodb:ConditionCheckItem',
  TransactWriteItemsCommand: 'dynamodb:ConditionCheckItem',
  SendEmailCommand: 'ses:SendEmail',
  StartExecutionCommand: 'states:StartExecution',
  SendTaskSuccessCommand: 'states:SendTaskSuccess',
  SendTaskFailureCommand: 'states:SendTaskFailure',
  SendTaskHeartbeatCommand: 'states:SendTaskHeartbeat',
  DescribeExecutionCommand: 'states:DescribeExecution',
  GetObjectCommand: 's3:GetObject',
  HeadObjectCommand: 's3:GetObject',
  PutObjectCommand: 's3:PutObject',
  PutObjectRetentionCommand: 's3:PutObjectRetention',
  ListObjectsV2Command: 's3:ListBucket',
  DeleteObjectCommand: 's3:DeleteObject',
  GenerateMacCommand: 'kms:GenerateMac',
  VerifyMacCommand: 'kms:VerifyMac',
  GetSecretValueCommand: 'secretsmanager:GetSecretValue',
};
/** Sent only by the CLI and the local stack, with the operator's own credentials, never by a function. */
const OPERATOR_ONLY = new Set(['CreateTableCommand', 'DescribeTableCommand', 'ScanCommand']);

describe('the grants', () => {
  it('cover every AWS call in the functions’ code (a new kind of call needs its grant first)', () => {
    const root = path.join(PROJECT_ROOT, 'functions');
    const files = readdirSync(root, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.ts'));
    const commands = new Set<string>();
    for (const file of files) {
      const text = readFileSync(path.join(root, file), 'utf8');
      for (const match of text.matchAll(/new (\w+Command)\(/g)) commands.add(match[1]!);
    }
    expect(commands.size).toBeGreaterThan(5);
    const granted = new Set(Object.values(ACTIONS).flat());
    for (const command of commands) {
      if (OPERATOR_ONLY.has(command)) continue;
      const action = ACTION_OF_COMMAND[command];
      expect(action, `${command}: unknown to this test, map it to its IAM action`).toBeDefined();
      expect(granted.has(action!), `${command} needs ${action}, which no Need grants`).toBe(true);
    }
  });
});

describe('no principal in the stack', () => {
  it('is granted a destructive or administrative action', () => {
    const documents = [
      ...resourcesOfType(json, 'AWS::IAM::Role').flatMap(([, r]) =>
        asArray<Json>(r.Properties.Policies).map((p) => p.PolicyDocument),
      ),
      ...resourcesOfType(json, 'AWS::IAM::Policy').map(([, p]) => p.Properties.PolicyDocument),
    ];
    const actions = documents.flatMap((d) =>
      d.Statement.filter((s: Json) => s.Effect === 'Allow').flatMap((s: Json) => asArray<string>(s.Action)),
    );
    expect(actions.length).toBeGreaterThan(20);
    const keyed = documents.flatMap((d) =>
      d.Statement.filter((s: Json) => s.Effect === 'Allow' && KEYED_WRITES[s.Sid]),
    );
    for (const s of keyed) {
      const expected = KEYED_WRITES[s.Sid]!;
      expect(asArray(s.Action).sort(), s.Sid).toEqual([...expected.actions].sort());
      expect(s.Condition, s.Sid).toEqual({
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': expected.prefixes },
        Null: { 'dynamodb:LeadingKeys': 'false' },
      });
    }
    expect(keyed.length).toBeGreaterThanOrEqual(2);
    const unkeyed = documents.flatMap((d) =>
      d.Statement.filter((s: Json) => s.Effect === 'Allow' && !KEYED_WRITES[s.Sid]).flatMap((s: Json) =>
        asArray<string>(s.Action),
      ),
    );
    for (const action of unkeyed) {
      expect(
        FORBIDDEN.some((re) => re.test(action)),
        action,
      ).toBe(false);
    }
    // Deleting and updating items only through the keyed statements (never a vendor's items).
    for (const s of keyed)
      for (const action of asArray<string>(s.Action).filter((a) => /Delete|Update/.test(a)))
        expect(FORBIDDEN.some((re) => re.test(action))).toBe(true);
  });

  it('updates in place nothing but the roll-call and the link counters: every UpdateItem grant is held to their partition keys', () => {
    // IAM checks `dynamodb:LeadingKeys` against the partition key of the item a request names ("Using IAM policy
    // conditions for fine-grained access control", Amazon DynamoDB Developer Guide,
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html); dynalite checks
    // no IAM at all, so this is the only place the rule is held. A vendor's items (V#...) are never updated.
    const statements = resourcesOfType(json, 'AWS::IAM::Role')
      .flatMap(([, r]) => asArray<Json>(r.Properties.Policies).flatMap((p) => p.PolicyDocument.Statement))
      .filter((s: Json) => asArray<string>(s.Action).includes('dynamodb:UpdateItem'));
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(asArray<string>(statement.Action)).toEqual(['dynamodb:UpdateItem']);
      expect([
        {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ROLLCALL#*'] },
          Null: { 'dynamodb:LeadingKeys': 'false' },
        },
        {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['LIMIT#*'] },
          Null: { 'dynamodb:LeadingKeys': 'false' },
        },
      ]).toContainEqual(statement.Condition);
    }
  });

  it('sets an Object Lock retention only as the review function on the upload prefix and the reconciler on the checkpoints (governance mode can only be extended without BypassGovernanceRetention, which nobody has)', () => {
    const retention = resourcesOfType(json, 'AWS::IAM::Role').flatMap(([id, r]) =>
      asArray<Json>(r.Properties.Policies)
        .flatMap((p) => p.PolicyDocument.Statement)
        .filter((s: Json) => asArray<string>(s.Action).includes('s3:PutObjectRetention'))
        .map((s: Json) => ({ id, resources: asArray<Json>(s.Resource).map(flat) })),
    );
    expect(retention).toHaveLength(2);
    const byRole = retention.sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(byRole[0]!.id).toMatch(/^FunctionsReconcileRole/);
    expect(byRole[0]!.resources).toEqual([`<${ids.bucket}.Arn>/checkpoints/*`]);
    expect(byRole[1]!.id).toMatch(/^FunctionsReviewRole/);
    expect(byRole[1]!.resources).toEqual([`<${ids.bucket}.Arn>/uploads/*`]);
  });
});

describe('the state machine’s role', () => {
  it('invokes the lifecycle functions only (not the reconciler or the HTTP handlers) and starts only itself', () => {
    const [, machine] = onlyResource(json, 'AWS::StepFunctions::StateMachine');
    const statements = statementsOfRole(json, machine.Properties.RoleArn['Fn::GetAtt'][0]);
    const invoked = statements
      .filter((s) => asArray<string>(s.Action).includes('lambda:InvokeFunction'))
      .flatMap((s) => asArray<Json>(s.Resource).map(flat))
      .map((r) => /^<(\w+)\.Arn>(:\*)?$/.exec(r)![1]);
    const byEntry = functionsByEntry(json);
    const lifecycle = ['plan', 'wait', 'recordFailure'] as const;
    expect([...new Set(invoked)].sort()).toEqual(
      lifecycle.map((n) => byEntry.get(LIFECYCLE_FUNCTIONS[n].entry)![0]).sort(),
    );
    const starts = statements
      .filter((s) => asArray<string>(s.Action).includes('states:StartExecution'))
      .flatMap((s) => asArray<Json>(s.Resource).map(flat));
    expect(starts).toHaveLength(1);
    expect(starts[0]).toMatch(new RegExp(`:stateMachine:${ids.machineName}$`));
    const wildcard = statements.filter((s) => asArray<Json>(s.Resource).includes('*'));
    for (const s of wildcard) {
      for (const action of asArray<string>(s.Action)) expect(action).toMatch(/^(logs|xray):/);
    }
  });
});

describe('the scheduler’s role', () => {
  it('may only invoke the reconciler, and only this account’s Scheduler may assume it', () => {
    const [, schedule] = scheduleOf(json, 'daily-reconcile');
    const roleId = schedule.Properties.Target.RoleArn['Fn::GetAtt'][0];
    // The weekly digest's schedule uses the same role.
    expect(scheduleOf(json, 'weekly-digest')[1].Properties.Target.RoleArn).toEqual(
      schedule.Properties.Target.RoleArn,
    );
    const role = json.Resources[roleId];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
    const reconcile = functionsByEntry(json).get(LIFECYCLE_FUNCTIONS.reconcile.entry)![0];
    expect(statementsOfRole(json, roleId)).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [reconcile, 'Arn'] } },
    ]);
  });
});

describe('the OpenID client secret', () => {
  it('is readable by the sign-in function only, that one secret, and its own key only through Secrets Manager', () => {
    const KEY = 'arn:aws:kms:us-east-1:111122223333:key/0b5e8c1a-7f4d-4d0e-9a3c-5b2f1e6d7c80';
    const withKey = synth({ context: { oidcClientSecretKeyArn: KEY } }).json;
    const secretReaders: string[] = [];
    for (const [entry, [, fn]] of functionsByEntry(withKey)) {
      const statements = statementsOfRole(withKey, fn.Properties.Role['Fn::GetAtt'][0]);
      const reads = statements.filter((s) =>
        asArray<string>(s.Action).includes('secretsmanager:GetSecretValue'),
      );
      const keyUse = statements.filter((s) => asArray<Json>(s.Resource).includes(KEY));
      if (reads.length) secretReaders.push(entry);
      for (const s of reads) expect(asArray(s.Resource), entry).toEqual([SECRET_ARN]);
      if (entry === 'functions/handlers/signin.ts') {
        expect(keyUse).toHaveLength(1);
        expect(keyUse[0].Action).toBe('kms:Decrypt');
        expect(flat(keyUse[0].Condition.StringEquals['kms:ViaService'])).toBe(
          'secretsmanager.<AWS::Region>.amazonaws.com',
        );
      } else expect(keyUse, entry).toEqual([]);
    }
    expect(secretReaders).toEqual(['functions/handlers/signin.ts']);
  });
});
