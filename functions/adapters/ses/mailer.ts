// The Mailer port over SES v2 SendEmail (simple content: HTML and text parts). Locally only the endpoint
// changes (AWS_ENDPOINT_URL_SESV2, or `endpoint`), pointing at aws-ses-v2-local.
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { UnavailableError } from '../../core/errors.js';
import type { Mailer, OutgoingEmail } from '../../ports/mailer.js';

export interface SesMailerOptions {
  from: string;
  configurationSet?: string;
  endpoint?: string;
  region?: string;
  client?: SESv2Client;
}

function isLocal(endpoint: string | undefined): boolean {
  return endpoint !== undefined && /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/.test(endpoint);
}

export function createSesClient(options: { endpoint?: string; region?: string } = {}): SESv2Client {
  const endpoint = options.endpoint ?? process.env.AWS_ENDPOINT_URL_SESV2;
  return new SESv2Client({
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    // The local mailbox accepts any signature: dummies, so that no real credentials are looked up.
    ...(isLocal(endpoint) && !process.env.AWS_ACCESS_KEY_ID
      ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
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
