// The deployment's context: cdk.json's defaults are valid, `-c key=value` strings are parsed, and every bad
// value is reported at once, by key, before anything is synthesized.
import { App } from 'aws-cdk-lib';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cdkJsonContext } from '../../infra/build.js';
import { PROJECT_ROOT } from '../../infra/stack.js';
import { ConfigError, DEFAULT_CONFIG, readConfig } from '../../infra/config.js';

const configOf = (context: Record<string, unknown>) => readConfig(new App({ context }).node);

describe('readConfig', () => {
  it('accepts cdk.json as shipped, equal to the documented defaults', () => {
    const config = configOf(cdkJsonContext());
    expect(config).toEqual({
      ...DEFAULT_CONFIG,
      publicBaseUrl: undefined,
      operatorEmail: undefined,
      policyJson: undefined,
      reservedConcurrency: undefined,
      customDomainName: undefined,
      customDomainCertificateArn: undefined,
    });
  });

  it('parses command-line strings (-c key=value)', () => {
    const config = configOf({
      mailFrom: 'tprm@bank.example',
      mailIdentity: 'tprm@bank.example',
      createMailIdentity: 'false',
      staffRoleMapping: '{"GRC-Leads": "compliance-lead", "Audit": "auditor"}',
      objectLockRetentionDays: '3650',
      mailHour: '7',
      publicBaseUrl: 'https://vendors.bank.example/',
      institutionTimeZone: 'America/New_York',
    });
    expect(config.createMailIdentity).toBe(false);
    expect(config.staffRoleMapping).toEqual({ 'GRC-Leads': 'compliance-lead', Audit: 'auditor' });
    expect(config.objectLockRetentionDays).toBe(3650);
    expect(config.mailHour).toBe(7);
    expect(config.publicBaseUrl).toBe('https://vendors.bank.example');
  });

  it('reports every bad value, naming its key', () => {
    let error: unknown;
    try {
      configOf({
        mailFrom: 'not-an-address',
        oidcIssuer: 'http://insecure.example',
        oidcClientSecretArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:oidc',
        staffRoleMapping: { admins: 'superuser' },
        mailHour: 24,
        objectLockRetentionDays: 0,
        logRetentionDays: 100,
        institutionTimeZone: 'Mars/Olympus',
        publicBaseUrl: 'ftp://x',
        policyJson: '{',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const keys = (error as ConfigError).problems.map((p) => p.split(':')[0]);
    expect(keys).toEqual(
      expect.arrayContaining([
        'mailFrom',
        'oidcIssuer',
        'oidcClientSecretArn',
        'staffRoleMapping',
        'mailHour',
        'objectLockRetentionDays',
        'logRetentionDays',
        'institutionTimeZone',
        'publicBaseUrl',
        'policyJson',
      ]),
    );
  });

  it('names the JWT settings that sign-in replaced, and accepts a loopback issuer only over plain HTTP', () => {
    expect(() => configOf({ jwtIssuer: 'https://login.bank.example/' })).toThrow(
      /jwtIssuer: no longer a setting; use oidcIssuer/,
    );
    expect(configOf({ oidcIssuer: 'http://127.0.0.1:4011' }).oidcIssuer).toBe('http://127.0.0.1:4011');
    expect(() => configOf({ oidcIssuer: 'http://login.bank.example' })).toThrow(/oidcIssuer/);
  });

  it('refuses a sender outside the SES identity', () => {
    expect(() => configOf({ mailFrom: 'a@other.example', mailIdentity: 'bank.example' })).toThrow(
      /mailIdentity: bank.example does not send for mailFrom a@other.example/,
    );
  });

  it('documents every setting in the README, and cdk.json lists them all', () => {
    const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Deploy to AWS'));
    const documented = [...section.matchAll(/^\|\s*(`[^|]+`)\s*\|/gm)].flatMap((m) =>
      [...m[1]!.matchAll(/`(\w+)`/g)].map((k) => k[1]),
    );
    for (const key of Object.keys(DEFAULT_CONFIG)) expect(documented, key).toContain(key);
    for (const key of [
      'policyJson',
      'publicBaseUrl',
      'operatorEmail',
      'reservedConcurrency',
      'customDomainName',
      'customDomainCertificateArn',
    ]) {
      expect(documented, key).toContain(key);
    }
    const shipped = Object.keys(cdkJsonContext()).filter((k) => !k.startsWith('@aws-cdk/'));
    for (const key of Object.keys(DEFAULT_CONFIG)) expect(shipped, key).toContain(key);
  });
});
