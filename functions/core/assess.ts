// The assessment of a vendor's SOC 2 coverage as of a date (spec section 3) and of a whole portfolio (section 4).
// Pure: no clock, no I/O. Everything the workflow, the review and the console show comes from here.
import { addDays, addMonths, daysBetween, minDate, type CalendarDate } from './dates.js';
import { settingsFor, type Policy, type PolicySettings } from './policy.js';
import type {
  BridgeLetter,
  Portfolio,
  SocKind,
  SocReport,
  SubserviceOrganization,
  Tier,
  Vendor,
  VendorDocument,
} from './portfolio.js';

export const STATUSES = ['current', 'expiring', 'bridged', 'stale', 'missing'] as const;
export type CoverageStatus = (typeof STATUSES)[number];

/** Every finding code, in the order findings are listed (sorted by code, as the spec asks). */
export const FINDING_CODES = [
  'adverse-opinion',
  'bridge-gap',
  'category-gap',
  'cuec-not-in-place',
  'cuec-unowned',
  'exception-without-response',
  'many-exceptions',
  'no-report',
  'qualified-opinion',
  'renewal-at-risk',
  'scope-gap',
  'soc1-not-soc2',
  'stale-report',
  'subservice-uncovered',
  'type1-only',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

/** The findings of spec section 9 (CUECs and subservice organisations); the others are section 3's. */
export const SUBSERVICE_FINDING_CODES: readonly FindingCode[] = [
  'cuec-not-in-place',
  'cuec-unowned',
  'subservice-uncovered',
];

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export const SEVERITY_BY_TIER: Readonly<Record<Tier, Severity>> = {
  critical: 'critical',
  high: 'high',
  moderate: 'medium',
  low: 'low',
};

export interface Finding {
  code: FindingCode;
  severity: Severity;
}

/** Where a subservice organisation stands as of D (spec section 9): its own status and lapse date. */
export interface SubserviceStanding {
  id: string;
  status: CoverageStatus;
  lapseDate: CalendarDate | null;
}

/** A line of the document's `subserviceOrganizations`: the standing and how many vendors' bases carve it out. */
export interface SubserviceOrganizationAssessment extends SubserviceStanding {
  dependents: number;
}

/** One vendor's line of the `assess` document (spec section 4), nothing more, so it serializes as specified. */
export interface VendorAssessment {
  id: string;
  status: CoverageStatus;
  basis: { kind: SocKind; periodEnd: CalendarDate } | null;
  lapseDate: CalendarDate | null;
  bridgedUntil: CalendarDate | null;
  daysToLapse: number | null;
  findings: Finding[];
  /** Section 9: the basis's carved-out subservice organisations, in the basis's order; absent when none. */
  subservices?: SubserviceStanding[];
}

export interface PortfolioAssessment {
  asOf: CalendarDate;
  vendors: VendorAssessment[];
  /** Section 9: one per subservice organisation, in input order; absent when the portfolio has no such field. */
  subserviceOrganizations?: SubserviceOrganizationAssessment[];
  summary: Record<CoverageStatus, number>;
}

/**
 * The standing of every subservice organisation a vendor's carve-outs can be checked against, by id. An id the
 * index does not hold is an organisation we hold no document for: `missing`.
 */
export type SubserviceIndex = ReadonlyMap<string, SubserviceStanding>;

/** Where a vendor's coverage stands, with the documents behind it: for the workflow and the review. */
export interface Coverage {
  status: CoverageStatus;
  /** The report the coverage rests on (spec 3.1), or null: `missing`. */
  basis: SocReport | null;
  /** P: the basis's period end. */
  periodEnd: CalendarDate | null;
  /** L = addMonths(P, maxReportAgeMonths). */
  lapseDate: CalendarDate | null;
  /** The bridge letters valid for the basis (no gap after P), in document order. */
  validBridgeLetters: BridgeLetter[];
  bridgedUntil: CalendarDate | null;
}

/** A document is known as of D when it was issued on or before D (or its issue date is not recorded). */
export function isKnownAsOf(document: { issued?: CalendarDate }, asOf: CalendarDate): boolean {
  return document.issued === undefined || document.issued <= asOf;
}

function isType2(kind: SocKind): boolean {
  return kind === 'soc2-type2' || kind === 'soc1-type2';
}

/**
 * True when report `a` ranks above `b` as the latest: later periodEnd, then Type II over Type I, then later
 * `issued` (an unrecorded issue date ranks lowest). A full tie goes to `a`, the later in the vendor's list,
 * i.e. the most recently recorded.
 */
function ranksAbove(a: SocReport, b: SocReport): boolean {
  if (a.periodEnd !== b.periodEnd) return a.periodEnd > b.periodEnd;
  const ta = isType2(a.kind);
  if (ta !== isType2(b.kind)) return ta;
  return (a.issued ?? '') >= (b.issued ?? '');
}

function isUsableOpinion(report: SocReport): boolean {
  return report.opinion === 'unqualified' || report.opinion === 'qualified';
}

/** A Type I report may be the basis only for tiers moderate and low (spec 3.1). */
export function typeOneMayBeBasis(tier: Tier): boolean {
  return tier === 'moderate' || tier === 'low';
}

/** The basis, lapse date, bridge and status of `vendor` as of `asOf` (spec 3.0-3.4). */
export function coverageOf(vendor: Vendor, asOf: CalendarDate, settings: PolicySettings): Coverage {
  return coverageFrom(vendor.documents, typeOneMayBeBasis(vendor.tier), asOf, settings);
}

/**
 * A subservice organisation's coverage as of `asOf` (spec section 9): the rules of section 3 on its own
 * documents, with only SOC 2 Type II reports as candidates for its basis. `settings` are the policy's defaults:
 * an organisation has no tier.
 */
export function subserviceCoverageOf(
  organization: SubserviceOrganization,
  asOf: CalendarDate,
  settings: PolicySettings,
): Coverage {
  return coverageFrom(organization.documents, false, asOf, settings);
}

function coverageFrom(
  documents: readonly VendorDocument[],
  typeOneCounts: boolean,
  asOf: CalendarDate,
  settings: PolicySettings,
): Coverage {
  let basis: SocReport | null = null;
  for (const d of documents) {
    if (d.kind === 'bridge-letter' || !isKnownAsOf(d, asOf) || !isUsableOpinion(d)) continue;
    if (d.kind !== 'soc2-type2' && !(d.kind === 'soc2-type1' && typeOneCounts)) continue;
    if (basis === null || ranksAbove(d, basis)) basis = d;
  }
  if (basis === null)
    return {
      status: 'missing',
      basis: null,
      periodEnd: null,
      lapseDate: null,
      validBridgeLetters: [],
      bridgedUntil: null,
    };

  const p = basis.periodEnd;
  const lapseDate = addMonths(p, settings.maxReportAgeMonths);
  const dayAfterP = addDays(p, 1);
  const validBridgeLetters: BridgeLetter[] = [];
  let latestCoversTo: CalendarDate | null = null;
  for (const d of documents) {
    if (d.kind !== 'bridge-letter' || !isKnownAsOf(d, asOf)) continue;
    if (d.coversFrom <= dayAfterP && d.coversTo > p) {
      validBridgeLetters.push(d);
      if (latestCoversTo === null || d.coversTo > latestCoversTo) latestCoversTo = d.coversTo;
    }
  }
  const bridgedUntil =
    latestCoversTo === null
      ? null
      : minDate(
          addMonths(latestCoversTo, settings.bridgeMaxMonths),
          addMonths(p, settings.maxReportAgeMonths + settings.bridgeMaxMonths),
        );

  let status: CoverageStatus;
  if (asOf < addDays(lapseDate, -settings.expiringWindowDays)) status = 'current';
  else if (asOf <= lapseDate) status = 'expiring';
  else if (bridgedUntil !== null && asOf <= bridgedUntil) status = 'bridged';
  else status = 'stale';
  return { status, basis, periodEnd: p, lapseDate, validBridgeLetters, bridgedUntil };
}

function isBlank(text: string | undefined): boolean {
  return text === undefined || text.trim() === '';
}

/**
 * The standing of the basis's carved-out subservice organisations, in the basis's order (inclusive ones need
 * nothing: the vendor's own report covers them). Undefined without an index: the caller does not know the
 * portfolio's subservice organisations, so the carve-outs are not assessed.
 */
export function carvedOutOf(
  basis: SocReport | null,
  index: SubserviceIndex | undefined,
): SubserviceStanding[] | undefined {
  if (basis === null || basis.subservices === undefined || index === undefined) return undefined;
  let out: SubserviceStanding[] | undefined;
  for (const ref of basis.subservices) {
    if (ref.method !== 'carve-out') continue;
    (out ??= []).push(index.get(ref.id) ?? { id: ref.id, status: 'missing', lapseDate: null });
  }
  return out;
}

function findingsWith(
  vendor: Vendor,
  asOf: CalendarDate,
  settings: PolicySettings,
  coverage: Coverage,
  carvedOut: readonly SubserviceStanding[] | undefined,
): Finding[] {
  const { basis, status, periodEnd, lapseDate } = coverage;
  const hasValidLetter = coverage.validBridgeLetters.length > 0;

  // One pass over the known documents for the facts the findings need beyond the basis.
  let latestSoc2: SocReport | null = null;
  let usableSoc2Type1 = false;
  let hasSoc1 = false;
  let letterPastP = false;
  for (const d of vendor.documents) {
    if (!isKnownAsOf(d, asOf)) continue;
    if (d.kind === 'bridge-letter') {
      if (periodEnd !== null && d.coversTo > periodEnd) letterPastP = true;
    } else if (d.kind === 'soc2-type2' || d.kind === 'soc2-type1') {
      if (latestSoc2 === null || ranksAbove(d, latestSoc2)) latestSoc2 = d;
      if (d.kind === 'soc2-type1' && isUsableOpinion(d)) usableSoc2Type1 = true;
    } else hasSoc1 = true;
  }

  const fired: Record<FindingCode, boolean> = {
    'adverse-opinion':
      latestSoc2 !== null && (latestSoc2.opinion === 'adverse' || latestSoc2.opinion === 'disclaimer'),
    'bridge-gap': lapseDate !== null && asOf > lapseDate && !hasValidLetter && letterPastP,
    'category-gap': basis !== null && categoryGap(vendor, basis),
    'cuec-not-in-place': basis?.cuecs !== undefined && basis.cuecs.some((c) => c.status === 'not-in-place'),
    'cuec-unowned': basis?.cuecs !== undefined && basis.cuecs.some((c) => c.owner === undefined),
    'exception-without-response':
      basis !== null && (basis.exceptions ?? []).some((e) => isBlank(e.managementResponse)),
    'many-exceptions': basis !== null && (basis.exceptions?.length ?? 0) >= settings.manyExceptions,
    'no-report': status === 'missing',
    'qualified-opinion': basis !== null && basis.opinion === 'qualified',
    'renewal-at-risk': renewalAtRisk(vendor, asOf, settings, coverage),
    'scope-gap': basis !== null && scopeGap(vendor, basis),
    'soc1-not-soc2': basis === null && hasSoc1,
    'stale-report': status === 'stale',
    'subservice-uncovered':
      carvedOut !== undefined && carvedOut.some((o) => o.status === 'stale' || o.status === 'missing'),
    'type1-only': typeOneMayBeBasis(vendor.tier)
      ? basis !== null && basis.kind === 'soc2-type1'
      : usableSoc2Type1 && basis === null,
  };
  const severity = SEVERITY_BY_TIER[vendor.tier];
  const findings: Finding[] = [];
  for (const code of FINDING_CODES) if (fired[code]) findings.push({ code, severity });
  return findings;
}

/** A required category (security always) missing from the basis's categories (absent = security only). */
function categoryGap(vendor: Vendor, basis: SocReport): boolean {
  const covered = basis.categories ?? ['security'];
  if (!covered.includes('security')) return true;
  return (vendor.requiredCategories ?? []).some((c) => !covered.includes(c));
}

/** The basis states its regions and some region holding the institution's data is not among them. */
function scopeGap(vendor: Vendor, basis: SocReport): boolean {
  if (basis.regions === undefined || vendor.dataRegions === undefined) return false;
  // Region names are compared without regard to case ("EU" and "eu" are the same place).
  const covered = new Set(basis.regions.map((r) => r.toLowerCase()));
  return vendor.dataRegions.some((r) => !covered.has(r.toLowerCase()));
}

/** Spec 3.5 renewal-at-risk: the contract renews soon and the vendor will not be covered on that day. */
function renewalAtRisk(
  vendor: Vendor,
  asOf: CalendarDate,
  settings: PolicySettings,
  coverage: Coverage,
): boolean {
  const renewal = vendor.contractRenewal;
  if (renewal === undefined || renewal < asOf || renewal > addDays(asOf, settings.renewalWindowDays))
    return false;
  if (coverage.lapseDate === null) return true;
  return renewal > coverage.lapseDate && (coverage.bridgedUntil === null || renewal > coverage.bridgedUntil);
}

/**
 * The `assess` line for one vendor as of `asOf` under `settings` (those of its tier). With the portfolio's
 * subservice index, the basis's carve-outs are assessed too (section 9); without it they are not.
 */
export function assessVendor(
  vendor: Vendor,
  asOf: CalendarDate,
  settings: PolicySettings,
  subservices?: SubserviceIndex,
): VendorAssessment {
  const coverage = coverageOf(vendor, asOf, settings);
  const { basis, lapseDate } = coverage;
  const carvedOut = carvedOutOf(basis, subservices);
  const assessment: VendorAssessment = {
    id: vendor.id,
    status: coverage.status,
    basis: basis === null ? null : { kind: basis.kind, periodEnd: basis.periodEnd },
    lapseDate,
    bridgedUntil: coverage.bridgedUntil,
    daysToLapse: lapseDate === null ? null : daysBetween(asOf, lapseDate),
    findings: findingsWith(vendor, asOf, settings, coverage, carvedOut),
  };
  if (carvedOut !== undefined) assessment.subservices = carvedOut;
  return assessment;
}

/**
 * The standing of each subservice organisation as of `asOf`, by id, under the policy's default settings (an
 * organisation has no tier). Each standing is frozen: the same object is listed under every vendor that
 * carves the organisation out.
 */
export function subserviceIndexOf(
  organizations: readonly SubserviceOrganization[],
  asOf: CalendarDate,
  policy: Policy,
): Map<string, SubserviceStanding> {
  const index = new Map<string, SubserviceStanding>();
  for (const organization of organizations) {
    const coverage = subserviceCoverageOf(organization, asOf, policy.defaults);
    index.set(
      organization.id,
      Object.freeze({ id: organization.id, status: coverage.status, lapseDate: coverage.lapseDate }),
    );
  }
  return index;
}

/** The whole `assess` document (spec section 4): vendors in input order, and the count per status. */
export function assessPortfolio(
  portfolio: Portfolio,
  asOf: CalendarDate,
  policy: Policy,
): PortfolioAssessment {
  const perTier = new Map<Tier, PolicySettings>();
  const summary: Record<CoverageStatus, number> = {
    current: 0,
    expiring: 0,
    bridged: 0,
    stale: 0,
    missing: 0,
  };
  const organizations = portfolio.subserviceOrganizations;
  const index = organizations === undefined ? undefined : subserviceIndexOf(organizations, asOf, policy);
  const dependents = new Map<string, number>();
  const vendors: VendorAssessment[] = new Array<VendorAssessment>(portfolio.vendors.length);
  for (let i = 0; i < portfolio.vendors.length; i++) {
    const vendor = portfolio.vendors[i] as Vendor;
    let settings = perTier.get(vendor.tier);
    if (settings === undefined) perTier.set(vendor.tier, (settings = settingsFor(policy, vendor.tier)));
    const assessment = assessVendor(vendor, asOf, settings, index);
    summary[assessment.status]++;
    if (assessment.subservices !== undefined)
      for (const s of assessment.subservices) dependents.set(s.id, (dependents.get(s.id) ?? 0) + 1);
    vendors[i] = assessment;
  }
  // A portfolio without the section 9 field gets exactly the section 4 document.
  if (organizations === undefined || index === undefined) return { asOf, vendors, summary };
  const subserviceOrganizations = organizations.map((o): SubserviceOrganizationAssessment => {
    const standing = index.get(o.id) as SubserviceStanding;
    return { ...standing, dependents: dependents.get(o.id) ?? 0 };
  });
  return { asOf, vendors, subserviceOrganizations, summary };
}
