// The deployment's context: cdk.json's defaults are valid, `-c key=value` strings are parsed, and every bad
// value is reported at once, by key, before anything is synthesized.
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { cdkJsonContext } from '../../infra/build.js';
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
    });
  });

  it('parses command-line strings (-c key=value)', () => {
    const config = configOf({
      mailFrom: 'tprm@bank.example',
      mailIdentity: 'tprm@bank.example',
      createMailIdentity: 'false',
      jwtAudience: 'console, review',
      objectLockRetentionDays: '3650',
      mailHour: '7',
      publicBaseUrl: 'https://vendors.bank.example/',
      institutionTimeZone: 'America/New_York',
    });
    expect(config.createMailIdentity).toBe(false);
    expect(config.jwtAudience).toEqual(['console', 'review']);
    expect(config.objectLockRetentionDays).toBe(3650);
    expect(config.mailHour).toBe(7);
    expect(config.publicBaseUrl).toBe('https://vendors.bank.example');
  });

  it('reports every bad value, naming its key', () => {
    let error: unknown;
    try {
      configOf({
        mailFrom: 'not-an-address',
        jwtIssuer: 'http://insecure.example',
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
        'jwtIssuer',
        'mailHour',
        'objectLockRetentionDays',
        'logRetentionDays',
        'institutionTimeZone',
        'publicBaseUrl',
        'policyJson',
      ]),
    );
  });

  it('refuses a sender outside the SES identity', () => {
    expect(() => configOf({ mailFrom: 'a@other.example', mailIdentity: 'bank.example' })).toThrow(
      /mailIdentity: bank.example does not send for mailFrom a@other.example/,
    );
  });
});
