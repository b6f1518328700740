// The deployment's settings, read once from CDK context (cdk.json defaults, `-c key=value` overrides) and checked
// here so that a bad value fails the synth with a message naming the key, not a CloudFormation error at deploy.
import type { Node } from 'constructs';
import { parseRoleMapping, type RoleMapping } from '../functions/core/staff-sign-in.js';

export interface BridgekeeperConfig {
  /** Sender address of every e-mail (MAIL_FROM); must belong to `mailIdentity`. */
  mailFrom: string;
  /** The SES identity that sends: a domain (recommended, DKIM) or a single address. */
  mailIdentity: string;
  /** Create the SES identity in this stack (false when the account already has it verified). */
  createMailIdentity: boolean;
  /** Origin the vendor and staff pages are served from; default: the HTTP API's own endpoint. */
  publicBaseUrl?: string;
  /** OpenID issuer of the bank's identity provider, exactly as its discovery document names it. */
  oidcIssuer: string;
  /** Bridgekeeper's client id at the identity provider. */
  oidcClientId: string;
  /** Full ARN of the Secrets Manager secret whose SecretString is the client secret (created by the operator). */
  oidcClientSecretArn: string;
  /** The customer-managed KMS key encrypting that secret, if it is not the AWS managed key. */
  oidcClientSecretKeyArn?: string;
  /** The ID token claim listing the person's groups (`groups`; `cognito:groups` on Cognito). */
  oidcGroupsClaim: string;
  /** Group name (as the claim lists it) -> Bridgekeeper role. */
  staffRoleMapping: RoleMapping;
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
  oidcIssuer: 'https://login.bank.example',
  oidcClientId: 'bridgekeeper',
  oidcClientSecretArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:bridgekeeper/oidc-client-AbCdEf',
  oidcGroupsClaim: 'groups',
  staffRoleMapping: {
    'bridgekeeper-vendor-managers': 'vendor-manager',
    'bridgekeeper-compliance-leads': 'compliance-lead',
    'bridgekeeper-auditors': 'auditor',
  },
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

/** Settings that no longer exist, with what replaced them (a stale cdk.context.json fails loudly, not silently). */
const REMOVED: Record<string, string> = {
  jwtIssuer: 'oidcIssuer',
  jwtAudience: 'oidcClientId',
  jwtHeader: 'nothing (staff sign in through the handlers with a session cookie)',
};

/** The issuer must be HTTPS; plain HTTP only on loopback (the deployed suite's embedded provider). */
const ISSUER = /^(https:\/\/[^\s/]+|http:\/\/(127\.0\.0\.1|localhost)(:\d+)?)(\/\S*)?$/;
/** A full secret ARN (with the six characters Secrets Manager appends): a grant on a partial ARN matches nothing. */
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/;
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/** Reads every setting from `node`'s context (or `overrides`, for tests), reporting every bad one at once. */
export function readConfig(node: Node, overrides: Partial<Record<keyof BridgekeeperConfig, unknown>> = {}) {
  const problems: string[] = [];
  for (const [key, replacement] of Object.entries(REMOVED))
    if (node.tryGetContext(key) !== undefined || key in overrides)
      problems.push(`${key}: no longer a setting; use ${replacement}`);
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
  const oidcIssuer = text('oidcIssuer', d.oidcIssuer)!;
  if (!ISSUER.test(oidcIssuer)) problems.push(`oidcIssuer: ${oidcIssuer} is not an https:// URL`);
  const oidcClientId = text('oidcClientId', d.oidcClientId)!;
  const oidcClientSecretArn = text('oidcClientSecretArn', d.oidcClientSecretArn)!;
  if (!SECRET_ARN.test(oidcClientSecretArn))
    problems.push(
      `oidcClientSecretArn: ${oidcClientSecretArn} is not the full ARN of a Secrets Manager secret (with its -XXXXXX suffix)`,
    );
  const oidcClientSecretKeyArn = text('oidcClientSecretKeyArn');
  if (oidcClientSecretKeyArn !== undefined && !KEY_ARN.test(oidcClientSecretKeyArn))
    problems.push(`oidcClientSecretKeyArn: ${oidcClientSecretKeyArn} is not a KMS key ARN`);
  const oidcGroupsClaim = text('oidcGroupsClaim', d.oidcGroupsClaim)!;
  let staffRoleMapping = d.staffRoleMapping;
  const mapping = raw('staffRoleMapping');
  if (mapping !== undefined && mapping !== null && mapping !== '') {
    try {
      staffRoleMapping = parseRoleMapping(mapping);
    } catch (error) {
      problems.push(`staffRoleMapping: ${(error as Error).message}`);
    }
  }

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
    oidcIssuer,
    oidcClientId,
    oidcClientSecretArn,
    oidcClientSecretKeyArn,
    oidcGroupsClaim,
    staffRoleMapping,
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
