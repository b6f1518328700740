// The generated test reports: PDFs in the style of real SOC reports (AICPA wording, paraphrased), for vendors of
// examples/portfolio.json, each with the structure a reviewer meets: a cover, contents, the service auditor's
// opinion letter, management's assertion, the system description with its subservice organisation and CUEC
// sections, the tests of controls with their results, and management's responses to exceptions. The variants
// cover what intake must tell apart: an unqualified and a qualified SOC 2 Type II, a Type I, a SOC 1 Type II,
// a bridge letter, a scanned report with no text layer, a report whose text tries to inject HTML, and a
// 100-page report for the bench. Generated on demand (`npx tsx scripts/make-test-reports.ts`, or in memory by
// the tests); nothing here is downloaded and no PDF is committed.
//
// Page breaks are explicit (one array entry per page) so the tests can name the page of every field.
import { renderPdf, type Block, type PdfDocument, type PdfPage } from './pdf-writer.js';

const h = (text: string, size?: number): Block => ({ kind: 'heading', text, ...(size ? { size } : {}) });
const p = (text: string): Block => ({ kind: 'para', text });
const lines = (...l: string[]): Block => ({ kind: 'lines', lines: l });
const bullets = (items: string[], marker?: string): Block => ({
  kind: 'bullets',
  items,
  ...(marker ? { marker } : {}),
});
const space = (points: number): Block => ({ kind: 'space', points });
const page = (...blocks: Block[]): PdfPage => ({ blocks });

export interface ControlTest {
  id: string;
  activity: string;
  test: string;
  /** The results column: "No exceptions noted." unless an exception is described. */
  exception?: string;
  /** Written in the results cell after the exception, as some firms do. */
  inlineResponse?: string;
}

interface Soc2Options {
  vendor: string;
  short: string;
  system: string;
  typeLabel: string;
  period: { from: string; to: string };
  categories: string;
  auditor: { lines: string[]; date: string };
  subservices: { carveOut: Block[]; description: Block[] };
  cuecs: Block[];
  controlPages: ControlTest[][];
  responses: { id: string; text: string }[];
  qualified?: { basis: string };
  footer: string;
  compress?: boolean;
  kerned?: boolean;
}

const RESULT_HEADER = [
  'Criteria',
  'Control Activity Specified by the Service Organization',
  'Test Performed',
  'Results',
];

function resultOf(c: ControlTest): string {
  if (!c.exception) return 'No exceptions noted.';
  return `Exception noted. ${c.exception}${c.inlineResponse ? ` Management's Response: ${c.inlineResponse}` : ''}`;
}

function controlTable(controls: ControlTest[]): Block {
  return {
    kind: 'table',
    widths: [1, 3.2, 3, 2.6],
    header: RESULT_HEADER,
    rows: controls.map((c) => [c.id, c.activity, c.test, resultOf(c)]),
  };
}

/** A SOC 2 Type II report: pages 1-2 front matter, 3-4 the opinion letter, 5 the assertion, 6-7 the description. */
function soc2Type2(o: Soc2Options): PdfDocument {
  const period = `${o.period.from} to ${o.period.to}`;
  const opinionHeading = o.qualified ? 'Qualified Opinion' : 'Opinion';
  const opinionLead = o.qualified
    ? 'In our opinion, except for the effects of the matter described in the Basis for Qualified Opinion paragraph, in all material respects,'
    : 'In our opinion, in all material respects,';
  const testPages = o.controlPages.map((controls, i) =>
    page(
      ...(i === 0
        ? [
            h(`Section IV: ${o.short}'s Controls, Trust Services Criteria, Tests of Controls and Results`),
            p(
              `The tests of operating effectiveness below were performed on a sample basis for the period ${period}. Where exceptions were noted they are described in the Results column; ${o.short}'s responses to them are in Section V.`,
            ),
          ]
        : []),
      controlTable(controls),
    ),
  );
  return {
    title: `${o.vendor} SOC 2 ${o.typeLabel} Report`,
    footer: `${o.vendor} - Confidential`,
    ...(o.compress ? { compress: true } : {}),
    ...(o.kerned ? { kerned: true } : {}),
    pages: [
      page(
        space(120),
        h(o.vendor, 20),
        space(20),
        h(`SOC 2\u00ae ${o.typeLabel} Report`, 16),
        p(
          `Report on ${o.short}'s Description of Its ${o.system} and on the Suitability of the Design and Operating Effectiveness of Its Controls Relevant to ${o.categories}`,
        ),
        space(10),
        p(`For the period ${period}`),
        space(200),
        p(
          'This report is confidential and intended solely for the specified parties named in the restricted use paragraph of the independent service auditor\u2019s report.',
        ),
      ),
      page(
        h('Table of Contents'),
        lines(
          'Section I: Independent Service Auditor\u2019s Report .................................... 3',
          `Section II: Assertion of ${o.short} Management ........................................ 5`,
          `Section III: ${o.short}'s Description of Its ${o.system} ................... 6`,
          'Section IV: Trust Services Criteria, Related Controls, Tests and Results ............ 8',
          `Section V: Other Information Provided by ${o.short} ...................................... ${8 + o.controlPages.length}`,
        ),
      ),
      page(
        h('Section I: Independent Service Auditor\u2019s Report'),
        lines(`To the Management of ${o.vendor}:`),
        h('Scope', 11),
        p(
          `We have examined ${o.short}'s accompanying description of its ${o.system} titled "${o.vendor}'s Description of Its ${o.system}" throughout the period ${period} (description) based on the criteria for a description of a service organization\u2019s system set forth in DC section 200, 2018 Description Criteria for a Description of a Service Organization\u2019s System in a SOC 2\u00ae Report (description criteria), and the suitability of the design and operating effectiveness of controls stated in the description throughout the period ${period}, to provide reasonable assurance that ${o.short}'s service commitments and system requirements were achieved based on the trust services criteria relevant to ${o.categories} (applicable trust services criteria) set forth in TSP section 100, 2017 Trust Services Criteria for Security, Availability, Processing Integrity, Confidentiality, and Privacy.`,
        ),
        ...o.subservices.carveOut,
        p(
          `The description indicates that complementary user entity controls that are suitably designed and operating effectively are necessary, along with controls at ${o.short}, to achieve ${o.short}'s service commitments and system requirements based on the applicable trust services criteria. Our examination did not include such complementary user entity controls.`,
        ),
        p(
          `The information included in Section V, "Other Information Provided by ${o.short}," is presented by ${o.short}'s management to provide additional information and is not a part of the description. This information has not been subjected to the procedures applied in the examination and, accordingly, we do not express an opinion on it.`,
        ),
        h('Service Auditor\u2019s Responsibilities', 11),
        p(
          'Our responsibility is to express an opinion on the description and on the suitability of the design and operating effectiveness of controls stated in the description based on our examination. Our examination was conducted in accordance with attestation standards established by the American Institute of Certified Public Accountants.',
        ),
      ),
      page(
        h('Inherent Limitations', 11),
        p(
          'The description is prepared to meet the common needs of a broad range of report users and may not include every aspect of the system that individual users may consider important. Because of their nature, controls may not always operate effectively to provide reasonable assurance that the service commitments and system requirements are achieved.',
        ),
        h('Description of Tests of Controls', 11),
        p(
          `The specific controls we tested and the nature, timing, and results of those tests are presented in Section IV of this report, "Trust Services Criteria, Related Controls, Tests and Results."`,
        ),
        ...(o.qualified ? [h('Basis for Qualified Opinion', 11), p(o.qualified.basis)] : []),
        h(opinionHeading, 11),
        p(
          `${opinionLead} a. the description presents ${o.short}'s ${o.system} that was designed and implemented throughout the period ${period}, in accordance with the description criteria. b. the controls stated in the description were suitably designed throughout the period ${period}, to provide reasonable assurance that the service commitments and system requirements would be achieved based on the applicable trust services criteria. c. the controls stated in the description operated effectively throughout the period ${period}.`,
        ),
        h('Restricted Use', 11),
        p(
          `This report is intended solely for the information and use of ${o.short}, user entities of ${o.short}'s ${o.system} during some or all of the period ${period}, and prospective user entities, and is not intended to be, and should not be, used by anyone other than these specified parties.`,
        ),
        space(8),
        lines(...o.auditor.lines, o.auditor.date),
      ),
      page(
        h(`Section II: Assertion of ${o.short} Management`),
        p(
          `We have prepared the accompanying description of ${o.short}'s ${o.system} throughout the period ${period} based on the description criteria. We confirm, to the best of our knowledge and belief, that the description presents the system that was designed and implemented throughout the period, that the controls stated in the description were suitably designed, and that they operated effectively throughout the period ${period} to provide reasonable assurance that the service commitments and system requirements were achieved based on the applicable trust services criteria.`,
        ),
        space(8),
        lines('Dana Whitfield', 'Chief Information Security Officer', o.vendor, o.auditor.date),
      ),
      page(
        h(`Section III: ${o.short}'s Description of Its ${o.system}`),
        h('Company Overview', 11),
        p(
          `${o.vendor} provides its ${o.system} to banks and credit unions. The system comprises the infrastructure, software, people, procedures and data used to provide the services to user entities.`,
        ),
        h('Subservice Organizations', 11),
        ...o.subservices.description,
      ),
      page(...o.cuecs),
      ...testPages,
      page(
        h(`Section V: Other Information Provided by ${o.short}`),
        h('Management\u2019s Responses to Exceptions', 11),
        ...o.responses.map((r) => p(`${r.id}: ${r.text}`)),
      ),
    ],
  };
}

const ACME_CONTROLS: ControlTest[][] = [
  [
    {
      id: 'CC6.1',
      activity:
        'Logical access to production systems requires multi-factor authentication through the corporate identity provider.',
      test: 'Inspected the identity provider configuration and observed a login attempt without a second factor being refused.',
    },
    {
      id: 'CC6.2',
      activity: 'Access of terminated employees is removed within one business day of termination.',
      test: 'For a sample of 25 terminations, compared the termination date with the date access was removed.',
      exception:
        'For 2 of 25 terminated employees sampled, access to the production VPN was removed 4 and 6 business days after termination.',
    },
    {
      id: 'CC6.3',
      activity:
        'Quarterly user access reviews are performed by system owners and changes are tracked to completion.',
      test: 'Inspected the quarterly access reviews for all four quarters and the tickets raised by them.',
    },
  ],
  [
    {
      id: 'CC7.2',
      activity:
        'Security events are monitored around the clock and alerts are triaged by the security operations team.',
      test: 'Inspected the monitoring configuration and a sample of 25 alerts with their triage records.',
    },
    {
      id: 'CC8.1',
      activity: 'Changes to production are peer reviewed and approved before deployment.',
      test: 'For a sample of 40 production changes, inspected the review and approval before deployment.',
      exception: 'For 1 of 40 changes sampled, the change was deployed before its approval was recorded.',
      inlineResponse: 'The deployment pipeline now blocks a release until the approval is recorded.',
    },
    {
      id: 'A1.2',
      activity: 'Backups are performed daily and restores are tested quarterly.',
      test: 'Inspected the backup job history and the quarterly restore test records.',
    },
  ],
];

const CARVE_OUT_AWS = p(
  "Acme uses a subservice organization, Amazon Web Services, Inc. (\"AWS\"), to provide cloud infrastructure hosting services. The description indicates that complementary subservice organization controls that are suitably designed and operating effectively are necessary, along with controls at Acme, to achieve Acme's service commitments and system requirements. The description presents Acme's controls and the types of complementary subservice organization controls assumed in the design of Acme's controls, and excludes the controls of AWS. Our examination did not include the services provided by AWS.",
);
const INCLUSIVE_MERIDIAN = p(
  'Acme also uses Meridian Data Centers, LLC ("Meridian"), a subservice organization, to provide colocation for its disaster recovery site. The description includes the relevant controls of Meridian, presented using the inclusive method, and our examination included the services provided by Meridian.',
);

const ACME_CUECS: Block[] = [
  h('Complementary User Entity Controls', 11),
  p(
    "Acme's controls were designed with the assumption that certain controls would be implemented by user entities. These complementary user entity controls are necessary, in combination with Acme's controls, to achieve the service commitments. User entities should consider whether the following controls have been implemented:",
  ),
  bullets([
    "User entities are responsible for managing their own users' access to the Acme merchant portal, including removing the access of terminated employees promptly.",
    'User entities are responsible for storing the API credentials issued by Acme securely and rotating them at least annually.',
    'User entities are responsible for notifying Acme of changes to their authorized contacts in a timely manner.',
    'User entities are responsible for reviewing the settlement reports provided by Acme and reporting discrepancies within 30 days.',
  ]),
  h('Trust Services Criteria Not Applicable to the System', 11),
  p('All criteria of the applicable trust services categories are applicable to the system.'),
];

/** Acme Payments: an unqualified SOC 2 Type 2 (carve-out AWS, inclusive Meridian, 4 CUECs, 2 exceptions). */
export function cleanSoc2Type2(controlPages: ControlTest[][] = ACME_CONTROLS): PdfDocument {
  return soc2Type2({
    vendor: 'Acme Payments, Inc.',
    short: 'Acme',
    system: 'Payment Processing Platform',
    typeLabel: 'Type 2',
    period: { from: 'January 1, 2025', to: 'December 31, 2025' },
    categories: 'security, availability, and confidentiality',
    auditor: { lines: ['Example CPA LLP', 'Denver, Colorado'], date: 'February 14, 2026' },
    subservices: {
      carveOut: [CARVE_OUT_AWS, INCLUSIVE_MERIDIAN],
      description: [
        p(
          'Acme uses Amazon Web Services, Inc. ("AWS") for cloud infrastructure hosting of the production environment, and Meridian Data Centers, LLC ("Meridian") for colocation of its disaster recovery site. Acme uses the carve-out method for AWS: the description includes only the controls of Acme and excludes the controls of AWS. Meridian is presented using the inclusive method.',
        ),
        h('Complementary Subservice Organization Controls', 11),
        p(
          'AWS is responsible for the physical security of its data centers, the environmental protections of its facilities, and the availability of the underlying infrastructure on which the production environment runs.',
        ),
      ],
    },
    cuecs: ACME_CUECS,
    controlPages,
    responses: [
      {
        id: 'CC6.2',
        text: 'Access removal is now triggered automatically by the HR system on the termination date, and the two accounts were confirmed unused after termination.',
      },
    ],
    footer: 'Acme Payments, Inc. - Confidential',
  });
}

/** SignalPath Fraud Analytics: a qualified SOC 2 Type II (security and availability), with its basis. */
export function qualifiedSoc2Type2(): PdfDocument {
  return soc2Type2({
    vendor: 'SignalPath Fraud Analytics Corp.',
    short: 'SignalPath',
    system: 'Fraud Scoring Service',
    typeLabel: 'Type II',
    period: { from: 'July 1, 2024', to: 'June 30, 2025' },
    categories: 'security and availability',
    auditor: { lines: ['/s/ Brightline Assurance LLP', 'Chicago, Illinois'], date: 'September 3, 2025' },
    qualified: {
      basis:
        'SignalPath states in its description that access of terminated employees to production systems is removed within one business day. However, as noted in Section IV, for 6 of 25 terminated employees sampled, access was removed between 9 and 41 days after termination, and management did not detect this during the period. As a result, controls were not operating effectively to achieve criterion CC6.2 throughout the period.',
    },
    subservices: {
      carveOut: [
        p(
          'SignalPath uses a subservice organization, Rackspace US, Inc. ("Rackspace"), to host its production environment. The description excludes the controls of Rackspace (the carve-out method), and our examination did not include the services provided by Rackspace.',
        ),
      ],
      description: [
        p(
          'SignalPath uses Rackspace US, Inc. ("Rackspace") to host its production environment in two data centers. This report uses the carve-out method for Rackspace.',
        ),
      ],
    },
    cuecs: [
      h('Complementary User Entity Controls (CUECs)', 11),
      p('User entities of the Fraud Scoring Service should have the following controls in place:'),
      bullets(
        [
          'Review the fraud scores returned by the service before declining a transaction on their basis alone.',
          'Restrict the users who may change scoring thresholds in the SignalPath console.',
          'Report suspected model errors to SignalPath support within two business days.',
        ],
        '#',
      ),
    ],
    controlPages: [
      [
        {
          id: 'CC6.2',
          activity: 'Access of terminated employees is removed within one business day of termination.',
          test: 'For a sample of 25 terminations, compared the termination date with the date access was removed.',
          exception:
            'For 6 of 25 terminated employees sampled, access was removed between 9 and 41 days after termination.',
        },
        {
          id: 'CC7.1',
          activity: 'Vulnerability scans of the production environment run weekly and findings are tracked.',
          test: 'Inspected the scan schedule and a sample of 10 weekly scan reports with their tickets.',
        },
        {
          id: 'A1.1',
          activity: 'Capacity is monitored and alerts are raised at 80 percent utilisation.',
          test: 'Inspected the monitoring thresholds and the alert history for the period.',
        },
      ],
    ],
    responses: [
      {
        id: 'CC6.2',
        text: 'SignalPath has connected its HR system to the identity provider so that access ends on the termination date; a weekly reconciliation now detects any account left active.',
      },
    ],
    footer: 'SignalPath Fraud Analytics Corp. - Confidential',
    compress: true,
    kerned: true,
  });
}

/** Quillmail Marketing: a SOC 2 Type I as of a date, signed by a firm without a legal suffix. */
export function soc2Type1(): PdfDocument {
  const asOf = 'September 30, 2025';
  return {
    title: 'Quillmail Marketing SOC 2 Type I Report',
    footer: 'Quillmail Marketing Ltd. | Confidential',
    compress: true,
    pages: [
      page(
        space(120),
        h('Quillmail Marketing Ltd.', 20),
        h('SOC 2 Type I Report', 16),
        p(
          "Report on Quillmail's Description of Its Campaign Delivery System and on the Suitability of the Design of Its Controls Relevant to Security, Processing Integrity, and Privacy",
        ),
        p(`As of ${asOf}`),
      ),
      page(
        h('Independent Service Auditor\u2019s Report'),
        lines('To the Board of Directors of Quillmail Marketing Ltd.:'),
        h('Scope', 11),
        p(
          `We have examined Quillmail's accompanying description of its campaign delivery system as of ${asOf} (description) based on the description criteria, and the suitability of the design of controls stated in the description as of ${asOf}, to provide reasonable assurance that Quillmail's service commitments and system requirements would be achieved based on the trust services criteria relevant to security, processing integrity, and privacy (applicable trust services criteria) set forth in TSP section 100, 2017 Trust Services Criteria for Security, Availability, Processing Integrity, Confidentiality, and Privacy. We did not test the operating effectiveness of the controls.`,
        ),
        p(
          'Quillmail uses Microsoft Azure, a subservice organization, to host the campaign delivery system, and uses the carve-out method: the description excludes the controls of Microsoft Azure.',
        ),
        h('Opinion', 11),
        p(
          `In our opinion, in all material respects, a. the description presents Quillmail's campaign delivery system that was designed and implemented as of ${asOf}, in accordance with the description criteria. b. the controls stated in the description were suitably designed as of ${asOf}, to provide reasonable assurance that the service commitments and system requirements would be achieved based on the applicable trust services criteria if the controls operated effectively as of that date.`,
        ),
        h('Restricted Use', 11),
        p(
          'This report is intended solely for the information and use of Quillmail, user entities of the campaign delivery system as of the date above, and prospective user entities.',
        ),
        space(8),
        lines('Northgate Assurance', 'Manchester, United Kingdom', '7 November 2025'),
      ),
      page(
        h("Section III: Quillmail's Description of Its Campaign Delivery System"),
        h('Complementary User Entity Controls', 11),
        p('Quillmail\u2019s controls assume that the user entities have the following controls in place:'),
        {
          kind: 'table',
          widths: [1, 5],
          header: ['Ref.', 'Complementary User Entity Control'],
          rows: [
            ['CUEC-01', 'User entities obtain consent from recipients before uploading their contact lists.'],
            ['CUEC-02', 'User entities remove personal data they no longer need from their campaign lists.'],
          ],
        },
        h('Section IV: Description of Criteria and Controls', 11),
        p('The controls relevant to the applicable criteria are listed in the description above.'),
      ),
    ],
  };
}

/** Ledgerline Core Banking: a SOC 1 Type 2 over control objectives, with one exception. */
export function soc1Type2(): PdfDocument {
  const period = 'October 1, 2024 to September 30, 2025';
  return {
    title: 'Ledgerline Core Banking SOC 1 Type 2 Report',
    footer: 'Ledgerline Core Banking, LLC',
    pages: [
      page(
        space(120),
        h('Ledgerline Core Banking, LLC', 20),
        h('SOC 1\u00ae Type 2 Report', 16),
        p(
          "Report on Ledgerline's Description of Its Core Banking System and on the Suitability of the Design and Operating Effectiveness of Its Controls Relevant to User Entities' Internal Control Over Financial Reporting",
        ),
        p(`For the period ${period}`),
      ),
      page(
        h('Section 1: Independent Service Auditor\u2019s Report'),
        lines('To the Management of Ledgerline Core Banking, LLC:'),
        h('Scope', 11),
        p(
          `We have examined Ledgerline's description of its core banking system for processing user entities' deposit and loan transactions throughout the period ${period} (description) and the suitability of the design and operating effectiveness of the controls included in the description to achieve the related control objectives stated in the description, based on the criteria identified in Ledgerline's assertion. The controls and control objectives included in the description are those that management of Ledgerline believes are likely to be relevant to user entities' internal control over financial reporting.`,
        ),
        p(
          'Ledgerline uses Corebridge Print Services, Inc. ("Corebridge"), a subservice organization, for statement printing. The description excludes the control objectives and related controls of Corebridge (the carve-out method).',
        ),
        h('Opinion', 11),
        p(
          `In our opinion, in all material respects, based on the criteria described in Ledgerline's assertion, a. the description fairly presents the core banking system that was designed and implemented throughout the period ${period}. b. the controls related to the control objectives stated in the description were suitably designed and operated effectively throughout the period ${period}.`,
        ),
        space(8),
        lines('Harper & Vance CPAs', 'Columbus, Ohio', 'November 20, 2025'),
      ),
      page(
        h('Section 3: Complementary User Entity Controls'),
        bullets([
          'User entities are responsible for reviewing the daily exception reports produced by the system.',
          'User entities are responsible for approving the interest rate tables before they are loaded.',
        ]),
        h('Section 4: Control Objectives, Related Controls, Tests and Results'),
        {
          kind: 'table',
          widths: [1, 3.2, 3, 2.6],
          header: ['Control', 'Control Activity', 'Test Performed', 'Results'],
          rows: [
            [
              '3.1',
              'Interest accruals are recalculated nightly and differences over $1 are investigated.',
              'Inspected a sample of 25 nightly reconciliation reports.',
              'No exceptions noted.',
            ],
            [
              '3.4',
              'Manual journal entries over $10,000 are approved by a second person.',
              'Inspected a sample of 40 manual journal entries over $10,000 for a second approval.',
              'Exception noted. For 3 of 40 entries sampled, the second approval was recorded after posting.',
            ],
          ],
        },
      ),
    ],
  };
}

/** Acme Payments' bridge letter: covers the gap after the report's period, signed by the vendor's management. */
export function bridgeLetter(): PdfDocument {
  return {
    title: 'Acme Payments Bridge Letter',
    pages: [
      page(
        lines('Acme Payments, Inc.', '400 Larimer Street', 'Denver, Colorado 80202'),
        space(10),
        lines('April 6, 2026'),
        lines('To: Our Valued Customers'),
        h('Re: SOC 2 Bridge Letter', 11),
        p(
          'Acme Payments, Inc. ("Acme") engaged Example CPA LLP to examine the controls of its Payment Processing Platform. The resulting SOC 2 Type 2 report covered the period January 1, 2025 to December 31, 2025. Because the next report will not be available until early 2027, we provide this bridge letter (also called a gap letter) for the period since.',
        ),
        p(
          'This letter covers the period from January 1, 2026 through March 31, 2026. We confirm, to the best of our knowledge, that there have been no material changes to the system or its controls during this period, and that we are not aware of any event that would have a significant effect on the controls described in the report.',
        ),
        p(
          'This letter is provided by management of Acme and is not an attestation by a service auditor. It should be read together with the SOC 2 report named above.',
        ),
        space(8),
        lines('Sincerely,', 'Dana Whitfield', 'Chief Information Security Officer, Acme Payments, Inc.'),
      ),
    ],
  };
}

/** Cobalt Print & Mail: a scanned report, pictures of pages and no text (one page carries a tiny stamp). */
export function scannedReport(): PdfDocument {
  return {
    title: 'Cobalt Print & Mail SOC 2 (scanned)',
    pages: [
      { scan: { seed: 11, lines: 30, stamp: 'p. 1' } },
      { scan: { seed: 12, lines: 32 } },
      { scan: { seed: 13, lines: 28 } },
    ],
  };
}

const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(1)>';

/** A long CUEC (about 2,400 characters), to show that extracted values are bounded. */
const OVERLONG =
  'User entities are responsible for ' +
  Array.from({ length: 40 }, (_, i) => `reviewing export batch ${i + 1} before release`).join(', ') +
  '.';

/** Harborview Wire Services: a SOC 2 Type 2 whose text tries to inject HTML, script and templates. */
export function injectionReport(): PdfDocument {
  return soc2Type2({
    vendor: 'Harborview Wire Services',
    short: 'Harborview',
    system: 'Wire Transfer Gateway',
    typeLabel: 'Type 2',
    period: { from: 'March 1, 2025', to: 'February 28, 2026' },
    categories: 'security and confidentiality',
    auditor: { lines: [`${SCRIPT} Assurance LLP`, 'Boston, Massachusetts'], date: 'April 2, 2026' },
    subservices: {
      carveOut: [
        p(
          'Harborview uses a subservice organization, Cumulus Hosting, Inc. ("Cumulus"), to host the gateway, and uses the carve-out method for Cumulus.',
        ),
      ],
      description: [p('Harborview relies on Cumulus for hosting (carve-out method).')],
    },
    cuecs: [
      h('Complementary User Entity Controls', 11),
      p('User entities should have the following controls in place:'),
      bullets([
        `User entities are responsible for ${IMG} reviewing wire templates before approval.`,
        'User entities are responsible for ${process.exit(1)} and {{constructor.constructor("alert(1)")()}} dual approval.',
        OVERLONG,
      ]),
    ],
    controlPages: [
      [
        {
          id: 'CC6.1',
          activity: 'Wire releases require two approvers.',
          test: 'Inspected a sample of 25 wire releases.',
          exception: `For 1 of 25 wires sampled, the second approver was <b onmouseover=alert(1)>missing</b> "><iframe src=javascript:alert(1)>.`,
          inlineResponse: `</textarea><svg onload=alert(1)> The approval rule now blocks a release without a second approver.`,
        },
      ],
    ],
    responses: [],
    footer: 'Harborview Wire Services - Confidential',
  });
}

const AREAS = [
  ['CC1', 'The entity demonstrates a commitment to integrity and ethical values through its code of conduct'],
  ['CC2', 'The entity communicates security responsibilities to personnel and external parties'],
  ['CC3', 'The entity identifies and assesses risks to the achievement of its objectives'],
  ['CC4', 'The entity monitors its controls and evaluates deficiencies in a timely manner'],
  ['CC5', 'The entity selects and develops control activities that mitigate risks'],
  ['CC6', 'The entity restricts logical and physical access to its systems and data'],
  ['CC7', 'The entity detects and responds to security events and anomalies'],
  ['CC8', 'The entity authorizes, tests and approves changes to its systems'],
  ['CC9', 'The entity mitigates risks from business disruption and from vendors'],
] as const;

/** The 100-page variant's tests of controls: 92 pages of three controls each, with an exception every 23rd. */
export function benchControlPages(pageCount = 92): ControlTest[][] {
  let n = 0;
  return Array.from({ length: pageCount }, (_, pageIndex) =>
    Array.from({ length: 3 }, (_, row) => {
      const [area, text] = AREAS[(pageIndex * 3 + row) % AREAS.length]!;
      const id = `${area}.${1 + ((pageIndex * 3 + row) % 8)}`;
      const exception = ++n % 23 === 0;
      return {
        id,
        activity: `${text}. The control owner performs and documents the activity each quarter, and evidence is kept for at least seven years in the governance repository, with a review by the internal audit function.`,
        test: `Inspected the documented evidence for a sample of 25 occurrences during the period and compared it with the control description, and inquired of the control owner about how deviations are followed up.`,
        ...(exception
          ? {
              exception: `For 1 of 25 occurrences sampled (test ${n}), the evidence was not retained as described.`,
            }
          : {}),
      };
    }),
  );
}

/** The bench's 100-page report: the unqualified report with 92 pages of tests of controls. */
export function hundredPageReport(): PdfDocument {
  return cleanSoc2Type2(benchControlPages());
}

/** Every generated report by file name, as `scripts/make-test-reports.ts` writes them. */
export const TEST_REPORTS: Record<string, () => PdfDocument> = {
  'acme-soc2-type2.pdf': () => cleanSoc2Type2(),
  'signalpath-soc2-type2-qualified.pdf': qualifiedSoc2Type2,
  'quillmail-soc2-type1.pdf': soc2Type1,
  'ledgerline-soc1-type2.pdf': soc1Type2,
  'acme-bridge-letter.pdf': bridgeLetter,
  'cobalt-scanned.pdf': scannedReport,
  'harborview-injection.pdf': injectionReport,
  'acme-soc2-type2-100-pages.pdf': hundredPageReport,
};

/** One generated report's bytes (renders on each call; they are deterministic). */
export function testReport(name: keyof typeof TEST_REPORTS | string): Uint8Array {
  const make = TEST_REPORTS[name];
  if (!make) throw new Error(`no test report named ${name}`);
  return renderPdf(make());
}
