// The intake rules on page texts (no PDF): the usual AICPA wordings and their variants, line breaks and spacing
// anywhere, and what must be left out rather than guessed.
import { describe, expect, it } from 'vitest';
import { extractReportFields } from '../../../functions/core/intake/extract.js';
import { FIELD_ORDER } from '../../../functions/core/intake/fields.js';
import { parseProseDate } from '../../../functions/core/intake/prose-dates.js';
import { reportText } from '../../../functions/core/intake/text.js';

const LETTER = "Independent Service Auditor's Report\nTo the Management of Example Co.:\n";
const SIGNED = '\nExample CPA LLP\nDenver, Colorado\nFebruary 14, 2026\n';

/** A minimal SOC 2 report: a cover page and a letter page with the given opinion paragraph. */
function report(opinion: string, extra = ''): string[] {
  return [
    'Example Co.\nSOC 2 Type 2 Report',
    `${LETTER}We examined the description throughout the period January 1, 2025 to December 31, 2025, based on the trust services criteria relevant to security (applicable trust services criteria).\n${extra}${opinion}\n${SIGNED}`,
  ];
}

describe('prose dates', () => {
  it.each([
    ['December 31, 2025', '2025-12-31'],
    ['December 31 2025', '2025-12-31'],
    ['Dec. 31, 2025', '2025-12-31'],
    ['Sept 1, 2025', '2025-09-01'],
    ['31 December 2025', '2025-12-31'],
    ['1st of March, 2025', '2025-03-01'],
    ['March 1st, 2025', '2025-03-01'],
    ['2025-12-31', '2025-12-31'],
    ['February 29, 2024', '2024-02-29'],
    ['december\n31,\n2025', '2025-12-31'],
  ])('%s is %s', (prose, date) => {
    expect(parseProseDate(prose)).toBe(date);
  });

  it.each([
    'February 30, 2025',
    'February 29, 2025',
    'April 31, 2025',
    '2025-13-01',
    'Smarch 3, 2025',
    'June 1, 1850',
  ])('%s is no date', (prose) => {
    expect(parseProseDate(prose)).toBeUndefined();
  });
});

describe('kind', () => {
  it.each([
    ['SOC 2 Type 2 Report', 'soc2-type2'],
    ['SOC 2® Type II Report', 'soc2-type2'],
    ['SOC2 - Type II', 'soc2-type2'],
    ['SOC 2 Type I Report', 'soc2-type1'],
    ['SOC 2 Type 1', 'soc2-type1'],
    ['SOC 1® Type 2 Report', 'soc1-type2'],
    ['SOC 1 Type I', 'soc1-type1'],
  ])('"%s" is %s', (title, kind) => {
    expect(extractReportFields([title]).kind).toEqual({ value: kind, page: 1 });
  });

  it('without a title: the criteria and a period tell a SOC 2 Type II; financial reporting and "as of" a SOC 1 Type I', () => {
    expect(
      extractReportFields([
        'Report on controls relevant to the trust services criteria for the period January 1, 2025 through December 31, 2025.',
      ]).kind?.value,
    ).toBe('soc2-type2');
    expect(
      extractReportFields([
        "Controls relevant to user entities' internal control over financial reporting as of June 30, 2025.",
      ]).kind?.value,
    ).toBe('soc1-type1');
  });

  it('a bridge letter names itself and carries no opinion; a report mentioning a bridge letter is still a report', () => {
    expect(
      extractReportFields([
        'Gap Letter\nThis letter covers the period from July 1, 2025 to September 30, 2025.',
      ]).kind?.value,
    ).toBe('bridge-letter');
    expect(
      extractReportFields(
        report('In our opinion, in all material respects, it is fine.', 'A bridge letter may follow.\n'),
      ).kind?.value,
    ).toBe('soc2-type2');
  });
});

describe('period and dates', () => {
  it.each([
    'for the period January 1, 2025 to December 31, 2025',
    'throughout the period from January 1, 2025 through December 31, 2025',
    'for the period of 1 January 2025 to 31 December 2025',
    'for the period beginning January 1, 2025 and ending December 31, 2025',
    'for the period January 1, 2025 - December 31, 2025',
    'for the\nperiod\nJanuary   1,\n2025 to December\n31, 2025',
  ])('"%s"', (prose) => {
    const fields = extractReportFields(['SOC 2 Type 2', `Controls ${prose}.`]);
    expect(fields.periodStart).toEqual({ value: '2025-01-01', page: 2 });
    expect(fields.periodEnd).toEqual({ value: '2025-12-31', page: 2 });
  });

  it('"the twelve-month period ended D" gives the end only', () => {
    const fields = extractReportFields([
      'SOC 2 Type 2',
      'Controls for the twelve-month period ended\nJune 30, 2025.',
    ]);
    expect(fields.periodStart).toBeUndefined();
    expect(fields.periodEnd).toEqual({ value: '2025-06-30', page: 2 });
  });

  it('an impossible date is left out, the other kept; dates in the wrong order are both left out', () => {
    const impossible = extractReportFields([
      'SOC 2 Type 2 for the period February 30, 2025 to December 31, 2025',
    ]);
    expect(impossible.periodStart).toBeUndefined();
    expect(impossible.periodEnd).toEqual({ value: '2025-12-31', page: 1 });
    const reversed = extractReportFields([
      'SOC 2 Type 2 for the period December 31, 2025 to January 1, 2025',
    ]);
    expect(reversed.periodStart).toBeUndefined();
    expect(reversed.periodEnd).toBeUndefined();
  });

  it('a Type I reads its "as of" date as periodEnd and has no periodStart', () => {
    const fields = extractReportFields([
      'SOC 2 Type 1',
      `${LETTER}the description as of\nSeptember 30, 2025 (description)`,
    ]);
    expect(fields).toMatchObject({
      kind: { value: 'soc2-type1' },
      periodEnd: { value: '2025-09-30', page: 2 },
    });
    expect(fields.periodStart).toBeUndefined();
  });

  it("a bridge letter: the period it covers, not the report's, and its letterhead date", () => {
    const fields = extractReportFields([
      'March 3, 2026\nBridge Letter\nOur SOC 2 report covered the period January 1, 2025 to December 31, 2025. This letter covers the period from January 1, 2026 through February 28, 2026.\nSincerely,\nJane Roe, CISO',
    ]);
    expect(fields).toEqual({
      kind: { value: 'bridge-letter', page: 1 },
      coversFrom: { value: '2026-01-01', page: 1 },
      coversTo: { value: '2026-02-28', page: 1 },
      issued: { value: '2026-03-03', page: 1 },
    });
  });

  it('a bridge letter that does not say "covers": the latest period it names', () => {
    const fields = extractReportFields([
      'Bridge letter\nThe report was for the period January 1, 2025 to December 31, 2025. No changes occurred in the period January 1, 2026 to March 31, 2026.',
    ]);
    expect(fields.coversFrom?.value).toBe('2026-01-01');
    expect(fields.coversTo?.value).toBe('2026-03-31');
  });
});

describe('opinion', () => {
  it('unqualified: "In our opinion, in all material respects"', () => {
    expect(
      extractReportFields(report('In our opinion, in all material respects, the description is fair.'))
        .opinion,
    ).toEqual({
      value: 'unqualified',
      page: 2,
    });
  });

  it('qualified: "In our opinion, except for ..." with the basis paragraph, or else the except-for clause', () => {
    const withHeading = extractReportFields(
      report(
        'Qualified Opinion\nIn our opinion, except for the matter described in the preceding paragraph, in all material respects, fine.',
        'Basis for Qualified Opinion\nAccess reviews were not\nperformed in Q3.\n',
      ),
    );
    expect(withHeading.opinion).toEqual({ value: 'qualified', page: 2 });
    expect(withHeading.opinionBasis).toEqual({ value: 'Access reviews were not performed in Q3.', page: 2 });

    const clauseOnly = extractReportFields(
      report(
        'In our opinion, except for the effects of the\nmissing access reviews, in all material respects, fine.',
      ),
    );
    expect(clauseOnly.opinion?.value).toBe('qualified');
    expect(clauseOnly.opinionBasis?.value).toBe('except for the effects of the missing access reviews');
  });

  it('adverse and disclaimer, each with its basis', () => {
    const adverse = extractReportFields(
      report(
        'Adverse Opinion\nIn our opinion, because of the significance of the matter, the controls did not operate effectively.',
        'Basis for Adverse Opinion\nNo change management controls operated.\n',
      ),
    );
    expect(adverse.opinion?.value).toBe('adverse');
    expect(adverse.opinionBasis?.value).toBe('No change management controls operated.');
    const disclaimer = extractReportFields(
      report(
        'Disclaimer of Opinion\nBecause of the significance of the matter, we have not been able to obtain sufficient appropriate evidence to provide a basis for an opinion. Accordingly, we do not express an opinion on the description.',
      ),
    );
    expect(disclaimer.opinion?.value).toBe('disclaimer');
  });

  it('"we do not express an opinion on it" (of management\'s other information) is no disclaimer', () => {
    const fields = extractReportFields(
      report(
        'In our opinion, in all material respects, fine.',
        'The other information has not been subjected to our procedures and, accordingly, we do not express an opinion on it.\n',
      ),
    );
    expect(fields.opinion?.value).toBe('unqualified');
    expect(fields.opinionBasis).toBeUndefined();
  });
});

describe('the signature', () => {
  it('the firm above the place and the date; "/s/" dropped; the date is issued', () => {
    const fields = extractReportFields(report('In our opinion, in all material respects, fine.'));
    expect(fields.auditor).toEqual({ value: 'Example CPA LLP', page: 2 });
    expect(fields.issued).toEqual({ value: '2026-02-14', page: 2 });
    const slashS = extractReportFields([
      'SOC 2 Type 2',
      `${LETTER}In our opinion, in all material respects, fine.\n/s/ Moss & Partners, P.C.\nMarch 2, 2026`,
    ]);
    expect(slashS.auditor?.value).toBe('Moss & Partners, P.C.');
    expect(slashS.issued?.value).toBe('2026-03-02');
  });

  it("not the addressee, nor management's signature after the letter", () => {
    const fields = extractReportFields([
      'SOC 2 Type 2',
      `${LETTER}In our opinion, in all material respects, fine.`,
      "Section II: Management's Assertion\nWe confirm the description.\nJane Roe\nExample Co., Inc.\nFebruary 14, 2026",
    ]);
    expect(fields.auditor).toBeUndefined();
    expect(fields.issued).toBeUndefined();
  });

  it('without a dated block: a line that ends in a firm suffix, after the opinion', () => {
    const fields = extractReportFields([
      'SOC 2 Type 2',
      `${LETTER}In our opinion, in all material respects, fine.\nCedar Audit Partners LLP`,
    ]);
    expect(fields.auditor?.value).toBe('Cedar Audit Partners LLP');
    expect(fields.issued).toBeUndefined();
  });
});

describe('Trust Services Categories', () => {
  it.each([
    [
      'relevant to security, availability, and confidentiality',
      ['security', 'availability', 'confidentiality'],
    ],
    ['relevant to security and availability', ['security', 'availability']],
    [
      'relevant to security, availability, processing integrity, confidentiality, and privacy',
      ['security', 'availability', 'processing-integrity', 'confidentiality', 'privacy'],
    ],
    ['relevant to\nprocessing\nintegrity and security', ['security', 'processing-integrity']],
    ['applicable to the privacy', ['privacy']],
  ])('"%s"', (prose, categories) => {
    expect(
      extractReportFields([
        'SOC 2 Type 2',
        `${LETTER}criteria ${prose} (applicable trust services criteria).`,
      ]).categories,
    ).toEqual({
      value: categories,
      page: 2,
    });
  });

  it('not the title of TSP section 100, which names all five', () => {
    const fields = extractReportFields([
      'SOC 2 Type 2',
      `${LETTER}set forth in TSP section 100, 2017 Trust Services Criteria for Security, Availability, Processing Integrity, Confidentiality, and Privacy.`,
    ]);
    expect(fields.categories).toBeUndefined();
  });
});

describe('exceptions', () => {
  const tests = (rows: string) => [
    'SOC 2 Type 2',
    `${LETTER}In our opinion, in all material respects, fine.`,
    rows,
  ];

  it('each "Exception noted" with its row\'s control and the response beside it', () => {
    const fields = extractReportFields(
      tests(
        "CC6.1 Access is reviewed.\nInspected reviews.\nNo exceptions noted.\nCC6.2 Leavers removed.\nInspected leavers.\nException noted: 2 of 25\nleavers kept access.\nManagement's response: Automated.\nCC7.1 Scans run.\nThe following exception was noted. One scan was skipped.",
      ),
    );
    expect(fields.exceptions).toEqual({
      value: [
        { control: 'CC6.2', description: '2 of 25 leavers kept access.', managementResponse: 'Automated.' },
        { control: 'CC7.1', description: 'One scan was skipped.' },
      ],
      page: 3,
      pages: [3, 3],
    });
  });

  it('only "No exceptions noted": an empty list, cited where it says so; "any exceptions noted" and "if exceptions were noted" are not exceptions', () => {
    const fields = extractReportFields(
      tests(
        'Any exceptions noted are described below. If exceptions were noted, they are listed.\nCC6.1 Access.\nNo exceptions noted.',
      ),
    );
    expect(fields.exceptions).toEqual({ value: [], page: 3, pages: [] });
  });

  it('a report with no test results has no exceptions field (absent, not "none")', () => {
    expect(extractReportFields(tests('CC6.1 Access is reviewed.')).exceptions).toBeUndefined();
  });
});

describe('CUECs', () => {
  it.each([
    ['\u2022 ', ['cuec-1', 'cuec-2']],
    ['- ', ['cuec-1', 'cuec-2']],
    ['#. ', ['cuec-1', 'cuec-2']],
  ])('a list marked "%s"', (marker, ids) => {
    const item = (n: number, text: string) => `${marker === '#. ' ? `${n}. ` : marker}${text}`;
    const fields = extractReportFields([
      'SOC 2 Type 2',
      `Complementary User Entity Controls (CUECs)\nUser entities should have these controls:\n${item(1, 'User entities review the access of\ntheir own users.')}\n${item(2, 'User entities protect API keys.')}\nSubservice Organizations\nSomething else.`,
    ]);
    expect(fields.cuecs).toEqual({
      value: [
        { id: ids[0], text: 'User entities review the access of their own users.' },
        { id: ids[1], text: 'User entities protect API keys.' },
      ],
      page: 2,
      pages: [2, 2],
    });
  });

  it('labelled items keep their own numbers; a list may run onto the next page', () => {
    const fields = extractReportFields([
      'SOC 2 Type 2',
      'Complementary User Entity Controls\nCUEC-03 User entities approve\n',
      'their own wires.\nCUEC-07 User entities reconcile daily.',
    ]);
    expect(fields.cuecs).toEqual({
      value: [
        { id: 'cuec-3', text: 'User entities approve their own wires.' },
        { id: 'cuec-7', text: 'User entities reconcile daily.' },
      ],
      page: 2,
      pages: [2, 3],
    });
  });

  it('the words in prose or in the contents are no CUEC section', () => {
    const fields = extractReportFields([
      'SOC 2 Type 2\nComplementary User Entity Controls ............ 12',
      'The complementary user entity controls are necessary.\n\u2022 Not a CUEC.',
    ]);
    expect(fields.cuecs).toBeUndefined();
  });
});

describe('subservice organisations', () => {
  const pages = (text: string) => ['SOC 2 Type 2', text];

  it('named, then "excludes the controls of" an abbreviation: carve-out', () => {
    expect(
      extractReportFields(
        pages(
          'Example uses a subservice organization, Google LLC ("Google"), for hosting. The description excludes the controls of Google.',
        ),
      ).subservices,
    ).toEqual({ value: [{ name: 'Google LLC', method: 'carve-out' }], page: 2, pages: [2] });
  });

  it('"This is known as the carve-out method." after the naming sentence; and an inclusive one', () => {
    const fields = extractReportFields(
      pages(
        'Example uses Rackspace US, Inc., a subservice organization, to host servers. Our examination did not\ninclude its services. This is known as the carve-out method. Example also uses Iron Vault Storage, Inc. ("IVS"), a subservice organization, for tapes. The description includes the relevant controls of IVS (the inclusive method).',
      ),
    );
    expect(fields.subservices?.value).toEqual([
      { name: 'Rackspace US, Inc.', method: 'carve-out' },
      { name: 'Iron Vault Storage, Inc.', method: 'inclusive' },
    ]);
  });

  it('"NAME (ABBR) as a subservice organization" with the method for the abbreviation', () => {
    const fields = extractReportFields(
      pages(
        'Example uses Amazon Web Services (AWS) as a subservice organization for hosting. Example uses the carve-out method for AWS.',
      ),
    );
    expect(fields.subservices?.value).toEqual([{ name: 'Amazon Web Services', method: 'carve-out' }]);
  });

  it('"includes only the controls of" the vendor itself names no subservice organisation', () => {
    const fields = extractReportFields(
      pages('The description includes only the controls of Example and no others.'),
    );
    expect(fields.subservices).toBeUndefined();
  });

  it('an organisation whose method is never stated is left out', () => {
    const fields = extractReportFields(
      pages('Example uses a subservice organization, Google LLC, for e-mail.'),
    );
    expect(fields.subservices).toBeUndefined();
  });
});

describe('the cleaned text', () => {
  it('running headers, footers and page numbers go; body lines that recur (No exceptions noted.) stay', () => {
    const pages = Array.from(
      { length: 4 },
      (_, i) =>
        `Acme Payments - Confidential\nCC${i}.1 Control\nNo exceptions noted.\nMore text on page ${i + 1}.\nPage ${i + 1} of 4`,
    );
    const text = reportText(pages).text;
    expect(text).not.toContain('Confidential');
    expect(text).not.toContain('Page 1 of 4');
    expect(text.match(/No exceptions noted\./g)).toHaveLength(4);
  });

  it('smart quotes, dashes, ligatures, soft hyphens, zero-width and control characters are normalised or dropped', () => {
    const { text } = reportText([
      'Auditor\u2019s \ufb01rm \u2013 carve\u2011out\u00ad \u201cAWS\u201d\u200b\u0007 Q\u00a0&\u00a0A',
    ]);
    expect(text).toBe('Auditor\'s firm - carve-out "AWS" Q & A');
  });

  it('a word hyphenated at a line end is joined', () => {
    expect(reportText(['com-\nplementary user entity controls']).text).toBe(
      'complementary user entity controls',
    );
  });
});

describe('the result', () => {
  it("lists the fields in the portfolio's document order and leaves out what it could not find", () => {
    const fields = extractReportFields(report('In our opinion, in all material respects, fine.'));
    const keys = Object.keys(fields);
    expect(keys).toEqual(FIELD_ORDER.filter((k) => keys.includes(k)));
    expect(extractReportFields(['Minutes of the board meeting.'])).toEqual({});
    expect(extractReportFields([])).toEqual({});
  });
});
