import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  DEFAULT_SETTINGS,
  parsePolicy,
  parsePolicyJson,
  settingsFor,
} from '../../../functions/core/policy.js';
import { ValidationError } from '../../../functions/core/errors.js';

function problems(input: unknown): string[] {
  try {
    parsePolicy(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).problems.map((p) => p.path);
  }
  throw new Error('accepted');
}

describe('policy settings (spec section 3: every number a setting, per tier)', () => {
  it('has the spec defaults', () => {
    expect(DEFAULT_SETTINGS).toEqual({
      maxReportAgeMonths: 12,
      expiringWindowDays: 60,
      bridgeMaxMonths: 3,
      renewalWindowDays: 90,
      manyExceptions: 5,
      findingDueDays: { critical: 30, high: 60, medium: 90, low: 180 },
      maxRiskAcceptanceMonths: 12,
    });
    expect(settingsFor(DEFAULT_POLICY, 'critical')).toEqual(DEFAULT_SETTINGS);
  });

  it('merges defaults, then the tier override', () => {
    const policy = parsePolicy({
      defaults: { expiringWindowDays: 90 },
      tiers: { critical: { maxReportAgeMonths: 9, manyExceptions: 3 }, low: { renewalWindowDays: 30 } },
    });
    expect(settingsFor(policy, 'critical')).toEqual({
      ...DEFAULT_SETTINGS,
      expiringWindowDays: 90,
      maxReportAgeMonths: 9,
      manyExceptions: 3,
    });
    expect(settingsFor(policy, 'high')).toEqual({ ...DEFAULT_SETTINGS, expiringWindowDays: 90 });
    expect(settingsFor(policy, 'low').renewalWindowDays).toBe(30);
  });

  it('refuses unknown fields, tiers and settings, and out-of-range values, naming each path', () => {
    expect(
      problems({
        default: {},
        defaults: { maxReportAgeMonths: 0, bridgeMaxMonths: 1.5, expiringWindowDays: '60' },
        tiers: { gold: {}, high: { manyExeptions: 4 }, low: 5 },
      }),
    ).toEqual([
      'default',
      'defaults.maxReportAgeMonths',
      'defaults.bridgeMaxMonths',
      'defaults.expiringWindowDays',
      'tiers.gold',
      'tiers.high.manyExeptions',
      'tiers.low',
    ]);
    expect(problems([])).toEqual(['']);
  });

  it('takes finding due days per severity (a tier overrides single severities) and the risk acceptance limit', () => {
    const policy = parsePolicy({
      defaults: { findingDueDays: { low: 120 }, maxRiskAcceptanceMonths: 6 },
      tiers: { critical: { findingDueDays: { critical: 14 } } },
    });
    expect(settingsFor(policy, 'critical').findingDueDays).toEqual({
      critical: 14,
      high: 60,
      medium: 90,
      low: 120,
    });
    expect(settingsFor(policy, 'low').findingDueDays).toEqual({
      critical: 30,
      high: 60,
      medium: 90,
      low: 120,
    });
    expect(settingsFor(policy, 'high').maxRiskAcceptanceMonths).toBe(6);
    // The defaults stay the defaults.
    expect(DEFAULT_SETTINGS.findingDueDays.low).toBe(180);
    expect(
      problems({
        defaults: { findingDueDays: { urgent: 5, high: 0 }, maxRiskAcceptanceMonths: 0 },
        tiers: { low: { findingDueDays: 30 } },
      }),
    ).toEqual([
      'defaults.findingDueDays.urgent',
      'defaults.findingDueDays.high',
      'defaults.maxRiskAcceptanceMonths',
      'tiers.low.findingDueDays',
    ]);
  });

  it('reads JSON text and names a syntax error', () => {
    expect(
      settingsFor(parsePolicyJson('{"tiers":{"high":{"bridgeMaxMonths":6}}}'), 'high').bridgeMaxMonths,
    ).toBe(6);
    expect(() => parsePolicyJson('{"tiers": }')).toThrow(/not valid JSON.*line 1, column 11/);
  });
});
