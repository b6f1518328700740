// The synthesized template as CloudFormation would deploy it, resolved to values on this machine: every Ref,
// Fn::GetAtt, Fn::Join, Fn::Select, Fn::Split and Fn::Sub becomes the name or ARN the resource would have, with
// the physical names of the tables, buckets and configuration sets chosen here (the embedded servers create them
// under those names). Anything the resolver does not know fails loudly: a new kind of reference must be taught.

/* eslint-disable @typescript-eslint/no-explicit-any -- CloudFormation JSON */
export type Json = any;

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
const STACK_UUID = '0b5e8c1a-7f4d-4d0e-9a3c-5b2f1e6d7c80';

export class ResolvedTemplate {
  readonly stackId: string;

  constructor(
    readonly template: Json,
    readonly stackName: string,
  ) {
    this.stackId = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${stackName}/${STACK_UUID}`;
  }

  resource(id: string): Json {
    const r = this.template.Resources[id];
    if (!r) throw new Error(`template: no resource ${id}`);
    return r;
  }

  ofType(type: string): [string, Json][] {
    return Object.entries<Json>(this.template.Resources).filter(([, r]) => r.Type === type);
  }

  /** What `Ref` returns for a resource (its physical name or id), per the CloudFormation reference. */
  ref(id: string): string {
    const r = this.resource(id);
    const name = (fallback: string) =>
      (r.Properties?.[nameProperty(r.Type)] as string | undefined) ?? fallback;
    switch (r.Type) {
      case 'AWS::DynamoDB::Table':
        return name(`${this.stackName}-${id}`);
      case 'AWS::S3::Bucket':
        return name(`${this.stackName}-${id}`.toLowerCase().slice(0, 63));
      case 'AWS::SES::ConfigurationSet':
        return name(`${this.stackName}-${id}`);
      case 'AWS::Lambda::Function':
        return name(`${this.stackName}-${id}`);
      case 'AWS::Logs::LogGroup':
        return this.resolve(r.Properties?.LogGroupName ?? `${this.stackName}-${id}`);
      case 'AWS::StepFunctions::StateMachine':
        return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name(`${this.stackName}-${id}`)}`;
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${REGION}:${ACCOUNT}:${this.stackName}-${id}`;
      case 'AWS::SQS::Queue':
        return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${this.stackName}-${id}`;
      default:
        return `${this.stackName}-${id}`;
    }
  }

  getAtt(id: string, attribute: string): string {
    const r = this.resource(id);
    const key = `${r.Type}.${attribute}`;
    switch (key) {
      case 'AWS::DynamoDB::Table.Arn':
        return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${this.ref(id)}`;
      case 'AWS::S3::Bucket.Arn':
        return `arn:aws:s3:::${this.ref(id)}`;
      case 'AWS::Lambda::Function.Arn':
        return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${this.ref(id)}`;
      case 'AWS::Logs::LogGroup.Arn':
        return `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${this.ref(id)}:*`;
      case 'AWS::SQS::Queue.Arn':
        return `arn:aws:sqs:${REGION}:${ACCOUNT}:${this.stackName}-${id}`;
      case 'AWS::SQS::Queue.QueueName':
        return `${this.stackName}-${id}`;
      case 'AWS::KMS::Key.Arn':
        return `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`;
      case 'AWS::IAM::Role.Arn':
        return `arn:aws:iam::${ACCOUNT}:role/${this.stackName}-${id}`;
      case 'AWS::StepFunctions::StateMachine.Arn':
        return this.ref(id);
      case 'AWS::ApiGatewayV2::Api.ApiEndpoint':
        return `https://${id.toLowerCase().slice(0, 10)}.execute-api.${REGION}.amazonaws.com`;
      case 'AWS::SNS::Topic.TopicArn':
        return this.ref(id);
      default:
        throw new Error(`template: cannot resolve Fn::GetAtt ${id}.${attribute} (${r.Type})`);
    }
  }

  pseudo(name: string): string {
    const values: Record<string, string> = {
      'AWS::Region': REGION,
      'AWS::AccountId': ACCOUNT,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': this.stackName,
      'AWS::StackId': this.stackId,
    };
    const value = values[name];
    if (value === undefined) throw new Error(`template: unknown pseudo parameter ${name}`);
    return value;
  }

  /** Resolves every intrinsic in `value` (deeply). */
  resolve(value: Json): Json {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'))) {
      const [key] = keys as [string];
      const arg = value[key];
      switch (key) {
        case 'Ref':
          return String(arg).startsWith('AWS::') ? this.pseudo(arg) : this.ref(arg);
        case 'Fn::GetAtt': {
          const [id, attribute] = (Array.isArray(arg) ? arg : String(arg).split('.')) as [string, string];
          return this.getAtt(id, attribute);
        }
        case 'Fn::Join': {
          const [separator, parts] = arg as [string, Json[]];
          return this.resolve(parts)
            .map((p: Json) => String(p))
            .join(separator);
        }
        case 'Fn::Select': {
          const [index, list] = arg as [number, Json];
          return (this.resolve(list) as string[])[Number(index)];
        }
        case 'Fn::Split': {
          const [separator, source] = arg as [string, Json];
          return String(this.resolve(source)).split(separator);
        }
        case 'Fn::Sub': {
          const [text, variables] = (Array.isArray(arg) ? arg : [arg, {}]) as [string, Record<string, Json>];
          return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
            if (name in variables) return String(this.resolve(variables[name]));
            if (name.startsWith('AWS::')) return this.pseudo(name);
            const [id, attribute] = name.split('.');
            return attribute ? this.getAtt(id!, attribute) : this.ref(id!);
          });
        }
        default:
          throw new Error(`template: cannot resolve ${key}`);
      }
    }
    return Object.fromEntries(keys.map((k) => [k, this.resolve(value[k])]));
  }
}

function nameProperty(type: string): string {
  return (
    {
      'AWS::DynamoDB::Table': 'TableName',
      'AWS::S3::Bucket': 'BucketName',
      'AWS::SES::ConfigurationSet': 'Name',
      'AWS::Lambda::Function': 'FunctionName',
      'AWS::StepFunctions::StateMachine': 'StateMachineName',
    }[type] ?? 'Name'
  );
}

/** What EventBridge does with an InputTransformer: each <name> becomes the JSON of the value at its path. */
export function renderInputTransformer(
  transformer: { InputPathsMap: Record<string, string>; InputTemplate: string },
  event: Json,
): Json {
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
