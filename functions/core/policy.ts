// Every number of the coverage policy is a setting (spec section 3), with the spec's defaults, overridable per
// vendor tier from a policy file: { "defaults": { ...settings }, "tiers": { "critical": { ...settings } } }.
import { ValidationError, type Problem } from './errors.js';
import { parseJsonText, TIERS, type Tier } from './portfolio.js';

export interface PolicySettings {
  /** A report is stale this many months after its period end (L = addMonths(P, this)). */
  maxReportAgeMonths: number;
  /** A vendor is `expiring` from this many days before L. */
  expiringWindowDays: number;
  /** A bridge letter is honoured this many months past the date it covers through. */
  bridgeMaxMonths: number;
  /** A contract renewal this close, with coverage not reaching it, is `renewal-at-risk`. */
  renewalWindowDays: number;
  /** This many exceptions or more in the basis is `many-exceptions`. */
  manyExceptions: number;
  /** A finding is due this many days after the day it opened, by its severity (spec section 8). */
  findingDueDays: FindingDueDays;
  /** A risk acceptance expires at most this many months after the day it is given (spec section 8). */
  maxRiskAcceptanceMonths: number;
}

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type FindingSeverity = (typeof SEVERITIES)[number];
export type FindingDueDays = Record<FindingSeverity, number>;

export const DEFAULT_SETTINGS: Readonly<PolicySettings> = Object.freeze({
  maxReportAgeMonths: 12,
  expiringWindowDays: 60,
  bridgeMaxMonths: 3,
  renewalWindowDays: 90,
  manyExceptions: 5,
  findingDueDays: Object.freeze({ critical: 30, high: 60, medium: 90, low: 180 }),
  maxRiskAcceptanceMonths: 12,
});

/** A tier's override: any setting, and any severity of `findingDueDays`. */
export type SettingsOverride = Partial<Omit<PolicySettings, 'findingDueDays'>> & {
  findingDueDays?: Partial<FindingDueDays>;
};

export interface Policy {
  /** The settings for every tier that does not override them. */
  defaults: PolicySettings;
  tiers: Partial<Record<Tier, SettingsOverride>>;
}

export const DEFAULT_POLICY: Readonly<Policy> = Object.freeze({
  defaults: { ...DEFAULT_SETTINGS },
  tiers: {},
});

/** The settings that apply to a vendor of `tier` (a tier may override single severities of findingDueDays). */
export function settingsFor(policy: Policy, tier: Tier): PolicySettings {
  const override = policy.tiers[tier];
  if (!override) return policy.defaults;
  const { findingDueDays, ...numbers } = override;
  return {
    ...policy.defaults,
    ...numbers,
    findingDueDays: { ...policy.defaults.findingDueDays, ...findingDueDays },
  };
}

type NumberSetting = Exclude<keyof PolicySettings, 'findingDueDays'>;

/** Bounds that keep a setting meaningful (a 0-month report age or a 40-year window is a typo, not a policy). */
const LIMITS: Record<NumberSetting, [min: number, max: number, unit: string]> = {
  maxReportAgeMonths: [1, 60, 'months'],
  expiringWindowDays: [0, 730, 'days'],
  bridgeMaxMonths: [0, 24, 'months'],
  renewalWindowDays: [0, 730, 'days'],
  manyExceptions: [1, 10_000, 'exceptions'],
  maxRiskAcceptanceMonths: [1, 60, 'months'],
};
const DUE_DAYS_LIMITS: [min: number, max: number, unit: string] = [1, 3650, 'days'];
const SETTING_NAMES = [...Object.keys(LIMITS), 'findingDueDays'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function wholeNumber(
  value: unknown,
  [min, max, unit]: [number, number, string],
  path: string,
  problems: Problem[],
): value is number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return true;
  problems.push({
    path,
    message: `${JSON.stringify(value)} is not allowed (a whole number of ${unit} from ${min} to ${max})`,
  });
  return false;
}

function dueDays(input: unknown, path: string, problems: Problem[]): Partial<FindingDueDays> {
  const out: Partial<FindingDueDays> = {};
  if (!isRecord(input)) {
    problems.push({ path, message: `must be an object of days by severity (${SEVERITIES.join(', ')})` });
    return out;
  }
  for (const [key, value] of Object.entries(input)) {
    if (!(SEVERITIES as readonly string[]).includes(key)) {
      problems.push({
        path: `${path}.${key}`,
        message: `not a severity (expected one of: ${SEVERITIES.join(', ')})`,
      });
      continue;
    }
    if (wholeNumber(value, DUE_DAYS_LIMITS, `${path}.${key}`, problems)) out[key as FindingSeverity] = value;
  }
  return out;
}

function settings(input: unknown, path: string, problems: Problem[]): SettingsOverride {
  const out: SettingsOverride = {};
  if (!isRecord(input)) {
    problems.push({ path, message: 'must be an object of policy settings' });
    return out;
  }
  for (const key of Object.keys(input)) {
    const p = path ? `${path}.${key}` : key;
    if (key === 'findingDueDays') {
      out.findingDueDays = dueDays(input[key], p, problems);
      continue;
    }
    if (!(key in LIMITS)) {
      problems.push({ path: p, message: `unknown setting (expected one of: ${SETTING_NAMES.join(', ')})` });
      continue;
    }
    const name = key as NumberSetting;
    const value = input[key];
    if (wholeNumber(value, LIMITS[name], p, problems)) out[name] = value;
  }
  return out;
}

/** Validates a policy document; every problem is named by its path (`tiers.critical.bridgeMaxMonths`). */
export function parsePolicy(input: unknown): Policy {
  const problems: Problem[] = [];
  if (!isRecord(input)) throw new ValidationError([{ path: '', message: 'a policy must be a JSON object' }]);
  const policy: Policy = {
    defaults: { ...DEFAULT_SETTINGS, findingDueDays: { ...DEFAULT_SETTINGS.findingDueDays } },
    tiers: {},
  };
  for (const key of Object.keys(input)) {
    if (key !== 'defaults' && key !== 'tiers') problems.push({ path: key, message: 'unknown field' });
  }
  if (input.defaults !== undefined) {
    const { findingDueDays, ...numbers } = settings(input.defaults, 'defaults', problems);
    Object.assign(policy.defaults, numbers);
    Object.assign(policy.defaults.findingDueDays, findingDueDays);
  }
  if (input.tiers !== undefined) {
    if (!isRecord(input.tiers)) problems.push({ path: 'tiers', message: 'must be an object keyed by tier' });
    else
      for (const [tier, value] of Object.entries(input.tiers)) {
        if (!(TIERS as readonly string[]).includes(tier)) {
          problems.push({
            path: `tiers.${tier}`,
            message: `${tier} is not a tier (expected one of: ${TIERS.join(', ')})`,
          });
          continue;
        }
        policy.tiers[tier as Tier] = settings(value, `tiers.${tier}`, problems);
      }
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return policy;
}

/** Parses a policy file's text (or the POLICY_JSON environment variable). */
export function parsePolicyJson(text: string): Policy {
  return parsePolicy(parseJsonText(text, 'the policy'));
}
