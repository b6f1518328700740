// The deployment's settings, read once from CDK context (cdk.json defaults, `-c key=value` overrides) and checked
// here so that a bad value fails the synth with a message naming the key, not a CloudFormation error at deploy.
import type { Node } from 'constructs';

export interface BridgekeeperConfig {
  /** Sender address of every e-mail (MAIL_FROM); must belong to `mailIdentity`. */
  mailFrom: string;
  /** The SES identity that sends: a domain (recommended, DKIM) or a single address. */
  mailIdentity: string;
  /** Create the SES identity in this stack (false when the account already has it verified). */
  createMailIdentity: boolean;
  /** Origin the vendor and staff pages are served from; default: the HTTP API's own endpoint. */
  publicBaseUrl?: string;
  /** OIDC issuer of the bank's identity provider, for staff routes (JWT authorizer). */
  jwtIssuer: string;
  /** Accepted `aud` values (the app's client ids at the identity provider). */
  jwtAudience: string[];
  /** Request header carrying the staff JWT (e.g. the one an SSO reverse proxy sets). */
  jwtHeader: string;
  /** Who receives alarms and bounce/complaint notifications (e-mail subscription); none when absent. */
  operatorEmail?: string;
  /** Object Lock default retention (governance mode) of uploaded evidence, in days. */
  objectLockRetentionDays: number;
  /** IANA zone of the institution's calendar (INSTITUTION_TIME_ZONE), also the schedule's zone. */
  institutionTimeZone: string;
  /** Local hour e-mails go out (MAIL_HOUR). */
  mailHour: number;
  /** Local hour of the daily reconciliation run. */
  reconcileHour: number;
  /** ISO weekday (1 Monday ... 7 Sunday) the weekly digest goes out on, at `mailHour` (DIGEST_WEEKDAY). */
  digestWeekday: number;
  /** CloudWatch Logs retention of every log group, in days. */
  logRetentionDays: number;
  /** Optional policy overrides (POLICY_JSON), passed through to the handlers unchanged. */
  policyJson?: string;
  /** Reserved concurrency per function; none when absent (new accounts cannot reserve below 10 unreserved). */
  reservedConcurrency?: number;
  /** Steady-state requests per second and burst for each public (vendor link) route. */
  publicRateLimit: number;
  publicBurstLimit: number;
  /** CloudFormation termination protection on the stack. */
  terminationProtection: boolean;
  /**
   * The bank's host name for the pages (e.g. `vendors.bank.example`), served by an API Gateway custom domain;
   * with it the execute-api endpoint is disabled. Requires `customDomainCertificateArn`.
   */
  customDomainName?: string;
  /** ARN of the ACM certificate for `customDomainName`, in the stack's region. */
  customDomainCertificateArn?: string;
}

/** Defaults that let `cdk synth` run on a fresh clone; a deployment overrides the addresses and the issuer. */
export const DEFAULT_CONFIG: BridgekeeperConfig = {
  mailFrom: 'bridgekeeper@bank.example',
  mailIdentity: 'bank.example',
  createMailIdentity: false,
  jwtIssuer: 'https://login.bank.example/',
  jwtAudience: ['bridgekeeper'],
  jwtHeader: 'Authorization',
  objectLockRetentionDays: 2557,
  institutionTimeZone: 'UTC',
  mailHour: 9,
  reconcileHour: 6,
  digestWeekday: 1,
  logRetentionDays: 365,
  publicRateLimit: 5,
  publicBurstLimit: 20,
  terminationProtection: true,
};

/** The log retentions CloudWatch accepts. */
const LOG_RETENTIONS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid Bridgekeeper context:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads every setting from `node`'s context (or `overrides`, for tests), reporting every bad one at once. */
export function readConfig(node: Node, overrides: Partial<Record<keyof BridgekeeperConfig, unknown>> = {}) {
  const problems: string[] = [];
  const raw = (key: keyof BridgekeeperConfig): unknown =>
    key in overrides ? overrides[key] : node.tryGetContext(key);

  const text = (key: keyof BridgekeeperConfig, fallback?: string): string | undefined => {
    const value = raw(key);
    if (value === undefined || value === null || value === '') return fallback;
    if (typeof value !== 'string') problems.push(`${key}: expected a string, got ${JSON.stringify(value)}`);
    return typeof value === 'string' ? value : fallback;
  };
  const int = (key: keyof BridgekeeperConfig, fallback: number | undefined, min: number, max: number) => {
    const value = raw(key);
    if (value === undefined || value === null || value === '') return fallback;
    const n = typeof value === 'string' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      problems.push(`${key}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
      return fallback;
    }
    return n;
  };
  const bool = (key: keyof BridgekeeperConfig, fallback: boolean): boolean => {
    const value = raw(key);
    if (value === undefined || value === null || value === '') return fallback;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    problems.push(`${key}: expected true or false, got ${JSON.stringify(value)}`);
    return fallback;
  };

  const d = DEFAULT_CONFIG;
  const mailFrom = text('mailFrom', d.mailFrom)!;
  if (!EMAIL.test(mailFrom)) problems.push(`mailFrom: ${JSON.stringify(mailFrom)} is not an e-mail address`);
  const mailIdentity = text('mailIdentity', d.mailIdentity)!;
  const fromDomain = mailFrom.slice(mailFrom.lastIndexOf('@') + 1).toLowerCase();
  if (mailIdentity.includes('@') ? mailIdentity !== mailFrom : fromDomain !== mailIdentity.toLowerCase()) {
    problems.push(`mailIdentity: ${mailIdentity} does not send for mailFrom ${mailFrom}`);
  }

  const publicBaseUrl = text('publicBaseUrl');
  if (publicBaseUrl !== undefined && !/^https:\/\/[^/\s]+(\/[^\s]*)?$/.test(publicBaseUrl)) {
    problems.push(`publicBaseUrl: ${publicBaseUrl} is not an https:// URL`);
  }
  const jwtIssuer = text('jwtIssuer', d.jwtIssuer)!;
  if (!/^https:\/\/\S+$/.test(jwtIssuer)) problems.push(`jwtIssuer: ${jwtIssuer} is not an https:// URL`);

  let jwtAudience = d.jwtAudience;
  const audience = raw('jwtAudience');
  if (typeof audience === 'string' && audience.trim() !== '') {
    jwtAudience = audience.split(',').map((a) => a.trim());
  } else if (Array.isArray(audience) && audience.every((a) => typeof a === 'string' && a !== '')) {
    jwtAudience = audience as string[];
  } else if (audience !== undefined) {
    problems.push(`jwtAudience: expected a list of client ids, got ${JSON.stringify(audience)}`);
  }
  if (jwtAudience.length === 0 || jwtAudience.some((a) => a === '')) {
    problems.push('jwtAudience: at least one non-empty client id is required');
  }

  const jwtHeader = text('jwtHeader', d.jwtHeader)!;
  if (!/^[A-Za-z0-9-]+$/.test(jwtHeader)) problems.push(`jwtHeader: ${jwtHeader} is not a header name`);

  const operatorEmail = text('operatorEmail');
  if (operatorEmail !== undefined && !EMAIL.test(operatorEmail)) {
    problems.push(`operatorEmail: ${JSON.stringify(operatorEmail)} is not an e-mail address`);
  }

  const institutionTimeZone = text('institutionTimeZone', d.institutionTimeZone)!;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: institutionTimeZone });
  } catch {
    problems.push(`institutionTimeZone: ${institutionTimeZone} is not an IANA time zone`);
  }

  const logRetentionDays = int('logRetentionDays', d.logRetentionDays, 1, 3653)!;
  if (!LOG_RETENTIONS.includes(logRetentionDays)) {
    problems.push(`logRetentionDays: ${logRetentionDays} is not one of ${LOG_RETENTIONS.join(', ')}`);
  }

  const customDomainName = text('customDomainName')?.toLowerCase();
  const customDomainCertificateArn = text('customDomainCertificateArn');
  if (
    customDomainName !== undefined &&
    !/^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/.test(customDomainName)
  ) {
    problems.push(`customDomainName: ${customDomainName} is not a host name`);
  }
  if (
    customDomainCertificateArn !== undefined &&
    !/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/.test(customDomainCertificateArn)
  ) {
    problems.push(`customDomainCertificateArn: ${customDomainCertificateArn} is not an ACM certificate ARN`);
  }
  if ((customDomainName === undefined) !== (customDomainCertificateArn === undefined)) {
    problems.push('customDomainName and customDomainCertificateArn: set both or neither');
  }

  const policyJson = text('policyJson');
  if (policyJson !== undefined) {
    try {
      JSON.parse(policyJson);
    } catch {
      problems.push('policyJson: not valid JSON');
    }
  }

  const config: BridgekeeperConfig = {
    mailFrom,
    mailIdentity,
    createMailIdentity: bool('createMailIdentity', d.createMailIdentity),
    publicBaseUrl: publicBaseUrl?.replace(/\/$/, ''),
    jwtIssuer,
    jwtAudience,
    jwtHeader,
    operatorEmail,
    objectLockRetentionDays: int('objectLockRetentionDays', d.objectLockRetentionDays, 1, 36500)!,
    institutionTimeZone,
    mailHour: int('mailHour', d.mailHour, 0, 23)!,
    reconcileHour: int('reconcileHour', d.reconcileHour, 0, 23)!,
    digestWeekday: int('digestWeekday', d.digestWeekday, 1, 7)!,
    logRetentionDays,
    policyJson,
    reservedConcurrency: int('reservedConcurrency', undefined, 1, 1000),
    publicRateLimit: int('publicRateLimit', d.publicRateLimit, 1, 10000)!,
    publicBurstLimit: int('publicBurstLimit', d.publicBurstLimit, 1, 5000)!,
    terminationProtection: bool('terminationProtection', d.terminationProtection),
    customDomainName,
    customDomainCertificateArn,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
