// The mail: an SES configuration set that requires TLS, tracks reputation, suppresses bounced and complaining
// addresses, and reports bounces and complaints to an encrypted SNS topic and to CloudWatch; and the sending
// identity (a domain with Easy DKIM, or one address), created here unless the account already has it.
import { CfnOutput, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface MailProps {
  /** A domain (`bank.example`) or an address. */
  identity: string;
  /** The sender address (MAIL_FROM). */
  from: string;
  createIdentity: boolean;
  key: kms.IKey;
  operatorEmail?: string;
}

export class Mail extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly configurationSetName: string;
  readonly configurationSetArn: string;
  readonly identityArn: string;
  readonly from: string;
  /** Bounce, complaint, reject and delivery-delay events, for operators. */
  readonly eventsTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.from = props.from;

    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.configurationSetName = this.configurationSet.configurationSetName;

    this.eventsTopic = new sns.Topic(this, 'Events', {
      displayName: 'Bridgekeeper mail events (bounces, complaints)',
      masterKey: props.key,
      enforceSSL: true,
    });
    if (props.operatorEmail) {
      this.eventsTopic.addSubscription(new subscriptions.EmailSubscription(props.operatorEmail));
    }
    this.configurationSet.addEventDestination('ToTopic', {
      destination: ses.EventDestination.snsTopic(this.eventsTopic),
      events: [
        ses.EmailSendingEvent.BOUNCE,
        ses.EmailSendingEvent.COMPLAINT,
        ses.EmailSendingEvent.REJECT,
        ses.EmailSendingEvent.DELIVERY_DELAY,
        ses.EmailSendingEvent.RENDERING_FAILURE,
      ],
    });
    this.configurationSet.addEventDestination('ToCloudWatch', {
      destination: ses.EventDestination.cloudWatchDimensions([
        {
          name: 'Application',
          source: ses.CloudWatchDimensionSource.MESSAGE_TAG,
          defaultValue: 'bridgekeeper',
        },
      ]),
      events: [
        ses.EmailSendingEvent.SEND,
        ses.EmailSendingEvent.DELIVERY,
        ses.EmailSendingEvent.BOUNCE,
        ses.EmailSendingEvent.COMPLAINT,
        ses.EmailSendingEvent.REJECT,
      ],
    });

    if (props.createIdentity) {
      const identity = new ses.EmailIdentity(this, 'Identity', {
        identity: props.identity.includes('@')
          ? ses.Identity.email(props.identity)
          : ses.Identity.domain(props.identity),
        configurationSet: this.configurationSet,
      });
      if (!props.identity.includes('@')) {
        // The three Easy DKIM CNAME records to publish in the domain's DNS (see README, Deploy to AWS).
        identity.dkimRecords.forEach((record, i) => {
          new CfnOutput(this, `DkimRecord${i + 1}`, {
            description: `DKIM CNAME ${i + 1} for ${props.identity}`,
            value: `${record.name} CNAME ${record.value}`,
          });
        });
      }
    }

    // enforceSSL gives the topic a policy, which replaces SNS's default one: the SNS event destination above adds
    // the Allow SES needs to publish (ses.amazonaws.com, aws:SourceAccount and aws:SourceArn = this configuration
    // set), asserted in test/infra/first-deploy.test.ts.

    this.identityArn = stack.formatArn({
      service: 'ses',
      resource: 'identity',
      resourceName: props.identity,
    });
    this.configurationSetArn = stack.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSetName,
    });
  }
}
