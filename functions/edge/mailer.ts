// The mailer of a function: SES v2 (on AWS and on the embedded mailbox), or the in-memory mailbox when the SES
// endpoint is `memory:` (`simulate`).
import { createSesMailer } from '../adapters/ses/mailer.js';
import { memoryMailbox } from '../adapters/memory/mailbox.js';
import { endpointOf, MEMORY_ENDPOINT } from '../adapters/aws.js';
import type { Mailer } from '../ports/mailer.js';
import type { Config } from './config.js';

export function openMailer(config: Pick<Config, 'mailFrom' | 'mailConfigurationSet'>): Mailer {
  if (endpointOf('SESV2') === MEMORY_ENDPOINT) return memoryMailbox(config.mailFrom);
  return createSesMailer({
    from: config.mailFrom,
    ...(config.mailConfigurationSet ? { configurationSet: config.mailConfigurationSet } : {}),
  });
}
