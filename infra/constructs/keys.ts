// The operations key: encrypts log groups and the operators' SNS topics. Kept apart from the data key so that
// the AWS services that must use it (CloudWatch Logs, CloudWatch alarms, SES notifications) never get any use of
// the key that protects vendor data.
import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export class OperationsKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Bridgekeeper operations: log groups, alarm and mail-event topics',
      alias: `alias/${Stack.of(this).stackName}-operations`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // CloudWatch Logs, only for this account's log groups in this region.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsForThisAccountsLogGroups',
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: [
          'kms:Encrypt',
          'kms:Decrypt',
          'kms:ReEncryptFrom',
          'kms:ReEncryptTo',
          'kms:GenerateDataKey',
          'kms:GenerateDataKeyWithoutPlaintext',
          'kms:DescribeKey',
        ],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`,
          },
        },
      }),
    );
    // CloudWatch alarms and SES event destinations publish to the KMS-encrypted topics.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AlarmsAndSesPublishToEncryptedTopics',
        principals: [
          new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
          new iam.ServicePrincipal('ses.amazonaws.com'),
        ],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
  }
}

/**
 * The MAC key: an HMAC key in KMS (KeySpec HMAC_256, KeyUsage GENERATE_VERIFY_MAC) that never leaves KMS. Upload
 * links are MACs made with it, so only a function granted kms:GenerateMac can mint a link, and a request's link
 * can be minted again for every follow-up without the token ever being stored. KMS does not rotate HMAC keys
 * (AWS KMS Developer Guide, "Rotating AWS KMS keys": automatic rotation is for symmetric encryption keys); it is
 * retained with the stack's data, since every open link depends on it.
 */
export class MacKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Bridgekeeper: HMAC key for upload-link tokens',
      alias: `alias/${Stack.of(this).stackName}-mac`,
      keySpec: kms.KeySpec.HMAC_256,
      keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
