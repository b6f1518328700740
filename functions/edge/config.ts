// The configuration of a function, read once from its environment, typed, failing loudly. Which variables a
// function has follows from its needs (functions/ports/needs.ts, listed per function in functions/catalog.ts):
// the infra gives each need exactly its variable and its grant, and `readConfig` refuses to start a function
// whose declared needs lack their variables. A value a function reads without the need for it throws too, naming
// both, so that a handler can never silently run on a default where the deployment gave nothing.
import { isTimeZone } from '../core/dates.js';
import { DEFAULT_POLICY, parsePolicyJson, type Policy } from '../core/policy.js';
import { parseRoleMapping, type RoleMapping } from '../core/staff-sign-in.js';
import { ENV_FOR_NEED, type Need } from '../ports/needs.js';

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export interface Config {
  /** Where the pages live ('' when no base URL is configured: links are left out). */
  publicBaseUrl: string;
  timeZone: string;
  mailHour: number;
  /** ISO weekday the weekly digest goes out on (DIGEST_WEEKDAY: 1 Monday ... 7 Sunday), at the mail hour. */
  digestWeekday: number;
  policy: Policy;
  /** How long accepted evidence is locked (Object Lock, governance), in days. */
  evidenceRetentionDays: number;
  tableName: string;
  documentsBucket: string;
  mailFrom: string;
  mailConfigurationSet: string | undefined;
  stateMachineArn: string;
  /** The MAC key: a KMS key id or ARN on AWS, `local:<hex>` for the embedded stack. */
  macKey: string;
  /** The bank's OpenID provider and this client at it (need oidc:sign-in). */
  oidc: OidcSettings;
}

export interface OidcSettings {
  /** The issuer exactly as its discovery document names it. */
  issuer: string;
  clientId: string;
  /** The Secrets Manager secret holding the client secret (its SecretString). */
  clientSecretArn: string;
  /** The ID token claim that lists the person's groups (`groups`; `cognito:groups` on Cognito). */
  groupsClaim: string;
  roleMapping: RoleMapping;
}

type NeedField = 'tableName' | 'documentsBucket' | 'mailFrom' | 'stateMachineArn' | 'macKey' | 'oidc';

const FIELD_OF_VARIABLE: Record<string, NeedField> = {
  TABLE_NAME: 'tableName',
  DOCUMENTS_BUCKET: 'documentsBucket',
  MAIL_FROM: 'mailFrom',
  STATE_MACHINE_ARN: 'stateMachineArn',
  MAC_KEY_ID: 'macKey',
  OIDC_CLIENT_SECRET_ARN: 'oidc',
};

/** The issuer must be HTTPS; plain HTTP only on loopback (the embedded provider of `npm start` and the tests). */
const ISSUER = /^(https:\/\/[^\s/]+|http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?)(\/\S*)?$/;

function readOidc(env: NodeJS.ProcessEnv, clientSecretArn: string, problems: string[]): OidcSettings {
  const issuer = env.OIDC_ISSUER ?? '';
  if (!ISSUER.test(issuer)) problems.push(`OIDC_ISSUER ${issuer || '(not set)'} is not an https:// URL`);
  const clientId = env.OIDC_CLIENT_ID ?? '';
  if (clientId === '') problems.push('OIDC_CLIENT_ID is not set');
  if (!/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:\S+$/.test(clientSecretArn))
    problems.push(`OIDC_CLIENT_SECRET_ARN ${clientSecretArn} is not a Secrets Manager secret ARN`);
  let roleMapping: RoleMapping = {};
  try {
    roleMapping = parseRoleMapping(env.STAFF_ROLE_MAPPING ?? '');
  } catch (error) {
    problems.push(`STAFF_ROLE_MAPPING: ${(error as Error).message}`);
  }
  return { issuer, clientId, clientSecretArn, groupsClaim: env.OIDC_GROUPS_CLAIM || 'groups', roleMapping };
}

/** Reads and checks the configuration; throws ConfigurationError naming every variable missing or wrong. */
export function readConfig(env: NodeJS.ProcessEnv, needs: readonly Need[]): Config {
  const problems: string[] = [];
  const timeZone = env.INSTITUTION_TIME_ZONE || 'UTC';
  if (!isTimeZone(timeZone)) problems.push(`INSTITUTION_TIME_ZONE ${timeZone} is not a time zone`);
  const mailHour = Number(env.MAIL_HOUR ?? '9');
  if (!Number.isInteger(mailHour) || mailHour < 0 || mailHour > 23)
    problems.push(`MAIL_HOUR ${env.MAIL_HOUR} is not an hour 0-23`);
  const digestWeekday = Number(env.DIGEST_WEEKDAY ?? '1');
  if (!Number.isInteger(digestWeekday) || digestWeekday < 1 || digestWeekday > 7)
    problems.push(`DIGEST_WEEKDAY ${env.DIGEST_WEEKDAY} is not a weekday 1-7 (1 is Monday)`);
  const baseUrl = (env.PUBLIC_BASE_URL ?? '').replace(/\/+$/, '');
  if (baseUrl !== '' && !/^https?:\/\/[^\s/]+/.test(baseUrl))
    problems.push(`PUBLIC_BASE_URL ${baseUrl} is not an http(s) URL`);
  const evidenceRetentionDays = Number(env.EVIDENCE_RETENTION_DAYS ?? '2557');
  if (!Number.isInteger(evidenceRetentionDays) || evidenceRetentionDays < 1 || evidenceRetentionDays > 36500)
    problems.push(`EVIDENCE_RETENTION_DAYS ${env.EVIDENCE_RETENTION_DAYS} is not a number of days 1-36500`);
  let policy: Policy = DEFAULT_POLICY;
  try {
    if (env.POLICY_JSON) policy = parsePolicyJson(env.POLICY_JSON);
  } catch (error) {
    problems.push(`POLICY_JSON: ${(error as Error).message}`);
  }
  const given: Partial<Record<NeedField, unknown>> = {};
  const needed = new Set(needs.map((n) => ENV_FOR_NEED[n]));
  for (const variable of needed) {
    const value = env[variable];
    if (value === undefined || value === '') problems.push(`${variable} is not set`);
    else if (variable === 'OIDC_CLIENT_SECRET_ARN') given.oidc = readOidc(env, value, problems);
    else given[FIELD_OF_VARIABLE[variable]!] = value;
  }
  if (problems.length) throw new ConfigurationError(`configuration: ${problems.join('; ')}`);

  const config = {
    publicBaseUrl: baseUrl,
    timeZone,
    mailHour,
    digestWeekday,
    policy,
    evidenceRetentionDays,
    mailConfigurationSet: needed.has('MAIL_FROM') ? env.MAIL_CONFIGURATION_SET || undefined : undefined,
  } as Config;
  for (const [variable, field] of Object.entries(FIELD_OF_VARIABLE))
    Object.defineProperty(config, field, {
      enumerable: true,
      get() {
        const value = given[field];
        if (value === undefined)
          throw new ConfigurationError(
            `configuration: this function reads ${variable} but declares no need that brings it`,
          );
        return value;
      },
    });
  return config;
}
