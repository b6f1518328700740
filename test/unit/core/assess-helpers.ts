// Builders for the core tests: a vendor with just what a rule needs.
import type {
  BridgeLetter,
  SocReport,
  Tier,
  Vendor,
  VendorDocument,
} from '../../../functions/core/portfolio.js';

export function type2(periodEnd: string, extra: Partial<SocReport> = {}): SocReport {
  return {
    kind: 'soc2-type2',
    periodStart: `${Number(periodEnd.slice(0, 4)) - 1}${periodEnd.slice(4)}`,
    periodEnd,
    opinion: 'unqualified',
    ...extra,
  };
}

export function type1(periodEnd: string, extra: Partial<SocReport> = {}): SocReport {
  return { kind: 'soc2-type1', periodEnd, opinion: 'unqualified', ...extra };
}

export function soc1(periodEnd: string, extra: Partial<SocReport> = {}): SocReport {
  return {
    kind: 'soc1-type2',
    periodStart: `${Number(periodEnd.slice(0, 4)) - 1}${periodEnd.slice(4)}`,
    periodEnd,
    opinion: 'unqualified',
    ...extra,
  };
}

export function letter(coversFrom: string, coversTo: string, issued?: string): BridgeLetter {
  return issued === undefined
    ? { kind: 'bridge-letter', coversFrom, coversTo }
    : { kind: 'bridge-letter', coversFrom, coversTo, issued };
}

export function vendorWith(documents: VendorDocument[], extra: Partial<Vendor> = {}): Vendor {
  return {
    id: 'acme-pay',
    name: 'Acme Payments',
    tier: 'critical' as Tier,
    managerEmail: 'jane.doe@bank.example',
    contactEmail: 'security@acme.example',
    documents,
    ...extra,
  };
}
