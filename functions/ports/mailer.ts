// Sending e-mail: implemented by functions/adapters/ses (SES v2 on AWS, aws-ses-v2-local on one machine).

export interface OutgoingEmail {
  to: string;
  subject: string;
  /** Both parts always: plain text for the mail clients that ask for it, HTML for the rest. */
  text: string;
  html: string;
}

export interface Mailer {
  /** Hands the message to the mail service; resolves with the service's message id. */
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}
