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
}

export const DEFAULT_SETTINGS: Readonly<PolicySettings> = Object.freeze({
  maxReportAgeMonths: 12,
  expiringWindowDays: 60,
  bridgeMaxMonths: 3,
  renewalWindowDays: 90,
  manyExceptions: 5,
});

export interface Policy {
  /** The settings for every tier that does not override them. */
  defaults: PolicySettings;
  tiers: Partial<Record<Tier, Partial<PolicySettings>>>;
}

export const DEFAULT_POLICY: Readonly<Policy> = Object.freeze({
  defaults: { ...DEFAULT_SETTINGS },
  tiers: {},
});

/** The settings that apply to a vendor of `tier`. */
export function settingsFor(policy: Policy, tier: Tier): PolicySettings {
  const override = policy.tiers[tier];
  return override ? { ...policy.defaults, ...override } : policy.defaults;
}

/** Bounds that keep a setting meaningful (a 0-month report age or a 40-year window is a typo, not a policy). */
const LIMITS: Record<keyof PolicySettings, [min: number, max: number, unit: string]> = {
  maxReportAgeMonths: [1, 60, 'months'],
  expiringWindowDays: [0, 730, 'days'],
  bridgeMaxMonths: [0, 24, 'months'],
  renewalWindowDays: [0, 730, 'days'],
  manyExceptions: [1, 10_000, 'exceptions'],
};
const SETTING_NAMES = Object.keys(LIMITS) as (keyof PolicySettings)[];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function settings(input: unknown, path: string, problems: Problem[]): Partial<PolicySettings> {
  const out: Partial<PolicySettings> = {};
  if (!isRecord(input)) {
    problems.push({ path, message: 'must be an object of policy settings' });
    return out;
  }
  for (const key of Object.keys(input)) {
    const p = path ? `${path}.${key}` : key;
    if (!(key in LIMITS)) {
      problems.push({ path: p, message: `unknown setting (expected one of: ${SETTING_NAMES.join(', ')})` });
      continue;
    }
    const name = key as keyof PolicySettings;
    const [min, max, unit] = LIMITS[name];
    const value = input[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      problems.push({
        path: p,
        message: `${JSON.stringify(value)} is not allowed (a whole number of ${unit} from ${min} to ${max})`,
      });
      continue;
    }
    out[name] = value;
  }
  return out;
}

/** Validates a policy document; every problem is named by its path (`tiers.critical.bridgeMaxMonths`). */
export function parsePolicy(input: unknown): Policy {
  const problems: Problem[] = [];
  if (!isRecord(input)) throw new ValidationError([{ path: '', message: 'a policy must be a JSON object' }]);
  const policy: Policy = { defaults: { ...DEFAULT_SETTINGS }, tiers: {} };
  for (const key of Object.keys(input)) {
    if (key !== 'defaults' && key !== 'tiers') problems.push({ path: key, message: 'unknown field' });
  }
  if (input.defaults !== undefined)
    Object.assign(policy.defaults, settings(input.defaults, 'defaults', problems));
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
