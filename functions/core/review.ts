// What a vendor manager works through before accepting an uploaded document, and what the policy engine will
// conclude if it is accepted. Pure: the review page renders this, the decision handler records the outcome.
import {
  assessVendor,
  subserviceCoverageOf,
  type Finding,
  type SubserviceIndex,
  type SubserviceStanding,
  type VendorAssessment,
} from './assess.js';
import type { CalendarDate } from './dates.js';
import { addDays, daysBetween } from './dates.js';
import type { PolicySettings } from './policy.js';
import {
  isSocReport,
  type SocReport,
  type SubserviceOrganization,
  type Vendor,
  type VendorDocument,
} from './portfolio.js';

export type CheckTone = 'ok' | 'concern' | 'manual';

export interface ChecklistItem {
  id: string;
  /** The question the analyst answers. */
  label: string;
  /** What the vendor entered / what the engine sees, for this question. */
  detail: string[];
  /** ok: the entries satisfy the policy; concern: they do not; manual: only the PDF can tell. */
  tone: CheckTone;
}

const KIND_NAMES: Record<string, string> = {
  'soc2-type2': 'SOC 2 Type II',
  'soc2-type1': 'SOC 2 Type I',
  'soc1-type2': 'SOC 1 Type II',
  'soc1-type1': 'SOC 1 Type I',
  'bridge-letter': 'Bridge letter',
};

export function kindName(kind: string): string {
  return KIND_NAMES[kind] ?? kind;
}

/**
 * The TPRM review checklist for one uploaded document against its vendor. `basisPeriodEnd` is the period end P of
 * the report the vendor's coverage rests on today (null: none), to check that the new document leaves no gap.
 */
export function reviewChecklist(
  vendor: Vendor,
  document: VendorDocument,
  basisPeriodEnd: CalendarDate | null = null,
): ChecklistItem[] {
  const dayAfter = basisPeriodEnd === null ? null : addDays(basisPeriodEnd, 1);
  if (!isSocReport(document)) {
    const noGap = dayAfter !== null && document.coversFrom <= dayAfter && document.coversTo > basisPeriodEnd!;
    return [
      {
        id: 'letter-period',
        label: 'Bridge letter: does it cover from the day after the last report period, with no gap?',
        detail: [
          `Covers ${document.coversFrom} to ${document.coversTo}`,
          `Issued ${document.issued ?? '(not given)'}`,
          dayAfter === null
            ? 'There is no report on file for a bridge letter to extend: it cannot establish coverage alone.'
            : noGap
              ? `Starts on or before ${dayAfter}, the day after the current report's period: no gap.`
              : `Must start on or before ${dayAfter} and end after ${basisPeriodEnd}: it leaves a gap.`,
        ],
        tone: noGap ? 'ok' : 'concern',
      },
      {
        id: 'letter-signed',
        label:
          'Is it signed by an officer of the vendor, and does it state that no material changes occurred?',
        detail: ['Read the letter itself.'],
        tone: 'manual',
      },
    ];
  }
  const categories = document.categories ?? ['security'];
  const required = [...new Set(['security', ...(vendor.requiredCategories ?? [])])];
  const missingCategories = required.filter((c) => !categories.includes(c as never));
  const regions = document.regions;
  const missingRegions =
    regions === undefined ? [] : (vendor.dataRegions ?? []).filter((r) => !regions.includes(r));
  const exceptions = document.exceptions ?? [];
  const unanswered = exceptions.filter((e) => (e.managementResponse ?? '').trim() === '');
  const opinionOk = document.opinion === 'unqualified';
  const start = document.periodStart ?? document.periodEnd;
  const gapDays = dayAfter !== null && start > dayAfter ? daysBetween(dayAfter, start) : 0;
  const continuity =
    dayAfter === null
      ? 'No report on file before this one.'
      : gapDays > 0
        ? `The current report's period ended ${basisPeriodEnd}; this one starts ${start}: ${gapDays} days are covered by neither.`
        : `The current report's period ended ${basisPeriodEnd}; this one follows on without a gap.`;
  return [
    {
      id: 'type-period',
      label: 'Report type and period: is it the report requested, and does the period follow the last one?',
      detail: [
        kindName(document.kind),
        document.periodStart
          ? `Period ${document.periodStart} to ${document.periodEnd}`
          : `As of ${document.periodEnd}`,
        `Issued ${document.issued ?? '(not given)'}`,
        continuity,
      ],
      tone: document.kind === 'soc2-type2' && gapDays === 0 ? 'ok' : 'concern',
    },
    {
      id: 'opinion',
      label: "Auditor's opinion",
      detail: [document.opinion],
      tone: opinionOk ? 'ok' : 'concern',
    },
    {
      id: 'exceptions',
      label: 'Exceptions noted by the auditor, and management responses',
      detail:
        exceptions.length === 0
          ? ['None entered by the vendor: confirm in section 4 of the report.']
          : exceptions.map(
              (e) =>
                `${e.control ?? '(no control id)'}${e.description ? `: ${e.description}` : ''}. Response: ${
                  e.managementResponse?.trim() ? e.managementResponse : '(none)'
                }`,
            ),
      tone: unanswered.length > 0 ? 'concern' : exceptions.length > 0 ? 'manual' : 'manual',
    },
    cuecItem(document),
    subserviceItem(document),
    {
      id: 'scope',
      label: 'Scope: do the Trust Services Categories and regions cover what the contract needs?',
      detail: [
        `Categories in the report: ${categories.join(', ')}; required: ${required.join(', ')}`,
        regions === undefined
          ? 'Regions: not stated in the entries'
          : `Regions in the report: ${regions.join(', ') || '(none)'}; our data sits in: ${(vendor.dataRegions ?? []).join(', ') || '(not recorded)'}`,
        ...(missingCategories.length ? [`Missing categories: ${missingCategories.join(', ')}`] : []),
        ...(missingRegions.length ? [`Regions not covered: ${missingRegions.join(', ')}`] : []),
      ],
      tone: missingCategories.length || missingRegions.length ? 'concern' : 'ok',
    },
    {
      id: 'auditor',
      label: 'Auditor: an independent licensed CPA firm, and the report signed?',
      detail: [document.auditor ?? '(not given)'],
      tone: 'manual',
    },
  ];
}

/** The report's CUECs as recorded at review (spec section 9): each needs an owner at the bank and a status. */
function cuecItem(document: SocReport): ChecklistItem {
  const label = 'Complementary user-entity controls (CUECs): which must the bank run, and are they in place?';
  const cuecs = document.cuecs ?? [];
  if (!document.kind.startsWith('soc2') || cuecs.length === 0)
    return {
      id: 'cuecs',
      label,
      detail: [
        'None recorded: list them from the report (usually section 3 or 4), each with its owner at the bank.',
      ],
      tone: 'manual',
    };
  const unowned = cuecs.filter((c) => c.owner === undefined).length;
  const notInPlace = cuecs.filter((c) => c.status === 'not-in-place').length;
  return {
    id: 'cuecs',
    label,
    detail: [
      `${cuecs.length} recorded; ${unowned} without an owner; ${notInPlace} not in place.`,
      ...(unowned ? ['An unowned CUEC is the cuec-unowned finding.'] : []),
      ...(notInPlace ? ['A CUEC not in place is the cuec-not-in-place finding.'] : []),
    ],
    tone: unowned || notInPlace ? 'concern' : 'ok',
  };
}

/** The report's subservice organisations as recorded: a carved-out one needs its own current report. */
function subserviceItem(document: SocReport): ChecklistItem {
  const label = 'Subservice organisations: which are carved out or included, and do we hold their reports?';
  const refs = document.subservices ?? [];
  if (!document.kind.startsWith('soc2') || refs.length === 0)
    return {
      id: 'subservice',
      label,
      detail: [
        'None recorded: read the system description; record each with its method (a carved-out one needs its own SOC 2).',
      ],
      tone: 'manual',
    };
  const carved = refs.filter((r) => r.method === 'carve-out').map((r) => r.id);
  const inclusive = refs.filter((r) => r.method === 'inclusive').map((r) => r.id);
  return {
    id: 'subservice',
    label,
    detail: [
      `Carved out: ${carved.join(', ') || 'none'}; inclusive: ${inclusive.join(', ') || 'none'}.`,
      ...(carved.length
        ? ['Each carved-out organisation is assessed on its own report (see the preview).']
        : []),
    ],
    tone: 'manual',
  };
}

export interface AcceptancePreview {
  before: VendorAssessment;
  after: VendorAssessment;
  /** Findings the vendor would have after acceptance that it does not have now. */
  raised: Finding[];
  /** Findings acceptance would clear. */
  cleared: Finding[];
  /** The next manager reminder date under the new lapse date (60 days before by default), if any. */
  nextReminder: CalendarDate | null;
}

/**
 * What the policy engine concludes as of `asOf` if `document` is accepted, next to what it concludes now.
 * The document counts as known from `asOf` on even if its issue date is later (a vendor can't upload a future
 * document: the entries are refused), so the preview matches what acceptance today will do. With `subservices`
 * (the standings of the organisations the vendor's reports name) the section 9 findings are previewed too; a
 * document for one of those organisations (`organization`) changes that organisation's standing, not the
 * vendor's documents.
 */
export function previewAcceptance(
  vendor: Vendor,
  document: VendorDocument,
  asOf: CalendarDate,
  settings: PolicySettings,
  options: {
    subservices?: SubserviceIndex;
    organization?: SubserviceOrganization;
    /** The policy's defaults, which an organisation is assessed with. */
    defaults?: PolicySettings;
  } = {},
): AcceptancePreview {
  const index = options.subservices;
  const before = assessVendor(vendor, asOf, settings, index);
  let after: VendorAssessment;
  if (options.organization) {
    const organization = options.organization;
    const coverage = subserviceCoverageOf(
      { ...organization, documents: [...organization.documents, document] },
      asOf,
      options.defaults ?? settings,
    );
    const standing: SubserviceStanding = {
      id: organization.id,
      status: coverage.status,
      lapseDate: coverage.lapseDate,
    };
    after = assessVendor(
      vendor,
      asOf,
      settings,
      new Map([...(index ?? new Map()), [organization.id, standing]]),
    );
  } else
    after = assessVendor({ ...vendor, documents: [...vendor.documents, document] }, asOf, settings, index);
  const has = (list: Finding[], f: Finding) => list.some((g) => g.code === f.code);
  return {
    before,
    after,
    raised: after.findings.filter((f) => !has(before.findings, f)),
    cleared: before.findings.filter((f) => !has(after.findings, f)),
    nextReminder: after.lapseDate ? addDays(after.lapseDate, -settings.expiringWindowDays) : null,
  };
}
