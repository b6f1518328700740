// The Mailer port over SES v2 SendEmail (simple content: HTML and text parts). Locally only the endpoint
// changes (AWS_ENDPOINT_URL_SESV2, or `endpoint`), pointing at aws-ses-v2-local.
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { UnavailableError } from '../../core/errors.js';
import type { Mailer, OutgoingEmail } from '../../ports/mailer.js';
import { clientConfig, type ClientOptions } from '../aws.js';

export interface SesMailerOptions {
  from: string;
  configurationSet?: string;
  endpoint?: string;
  region?: string;
  client?: SESv2Client;
}

export function createSesClient(options: ClientOptions = {}): SESv2Client {
  return new SESv2Client(clientConfig('SESV2', options));
}

/** SES refuses throttled or failing sends with these: worth a retry by the workflow (UnavailableError). */
const TRANSIENT = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'InternalFailure',
  'ServiceUnavailable',
  'ThrottlingException',
]);

export function createSesMailer(options: SesMailerOptions): Mailer {
  const client = options.client ?? createSesClient(options);
  return {
    async send(email: OutgoingEmail) {
      try {
        const out = await client.send(
          new SendEmailCommand({
            FromEmailAddress: options.from,
            Destination: { ToAddresses: [email.to] },
            ...(options.configurationSet ? { ConfigurationSetName: options.configurationSet } : {}),
            Content: {
              Simple: {
                Subject: { Data: email.subject, Charset: 'UTF-8' },
                Body: {
                  Text: { Data: email.text, Charset: 'UTF-8' },
                  Html: { Data: email.html, Charset: 'UTF-8' },
                },
              },
            },
          }),
        );
        return { messageId: out.MessageId ?? '' };
      } catch (error) {
        const name = (error as Error).name;
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (TRANSIENT.has(name) || (status !== undefined && status >= 500) || name === 'TimeoutError')
          throw new UnavailableError(`SES: ${name}`, { cause: error });
        throw error;
      }
    },
  };
}
