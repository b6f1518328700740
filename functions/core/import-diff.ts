// What importing a portfolio means for one vendor: the events that take its stored state to the imported one.
// Pure. Re-importing the same file yields no events; a changed row yields exactly its changes.
import { canonicalJson, sha256Hex } from './audit-chain.js';
import type { NewEvent, VendorProfile } from './events.js';
import type { Portfolio, Vendor, VendorDocument } from './portfolio.js';
import type { VendorState } from './vendor-state.js';

/** Imported documents are named by their content, so that the same row imported twice is the same document. */
export function documentIdOf(document: VendorDocument): string {
  return `doc-${sha256Hex(canonicalJson(document)).slice(0, 24)}`;
}

/**
 * The profile a vendor is stored with. The portfolio-wide compliance lead is written into each vendor that has
 * none of its own, so the stored vendor alone says where its escalations go (and a change of lead is recorded on
 * every vendor it affects).
 */
export function profileOf(vendor: Vendor, portfolio?: Pick<Portfolio, 'complianceLeadEmail'>): VendorProfile {
  const { documents: _documents, ...profile } = vendor;
  if (profile.complianceLeadEmail === undefined && portfolio?.complianceLeadEmail !== undefined)
    profile.complianceLeadEmail = portfolio.complianceLeadEmail;
  return JSON.parse(JSON.stringify(profile)) as VendorProfile;
}

export interface ImportOptions {
  /**
   * Whether the input lists the vendor's documents (JSON portfolios and CSV imports with --documents do). When it
   * does, imported documents no longer listed are withdrawn; uploaded documents are never touched by an import.
   */
  manageDocuments: boolean;
}

export const WITHDRAWN_REASON = 'no longer in the imported portfolio';

export function importEvents(
  vendor: Vendor,
  state: VendorState | undefined,
  portfolio: Pick<Portfolio, 'complianceLeadEmail'>,
  options: ImportOptions,
): NewEvent[] {
  const events: NewEvent[] = [];
  const profile = profileOf(vendor, portfolio);
  if (!state?.profile) {
    events.push({ type: 'vendor-registered', data: { profile } });
  } else {
    const changes: Record<string, unknown> = {};
    const current = state.profile as unknown as Record<string, unknown>;
    const desired = profile as unknown as Record<string, unknown>;
    for (const field of new Set([...Object.keys(current), ...Object.keys(desired)]))
      if (canonicalJson(current[field] ?? null) !== canonicalJson(desired[field] ?? null))
        changes[field] = desired[field] ?? null;
    if (Object.keys(changes).length > 0) events.push({ type: 'vendor-updated', data: { changes } });
  }
  events.push(
    ...importedDocumentEvents(
      vendor.documents.map((d) => JSON.parse(JSON.stringify(d)) as VendorDocument),
      state,
      { ...options, firstImport: !state?.profile },
    ),
  );
  return events;
}

/**
 * The document events an import means for one record (a vendor's or a subservice organisation's): the listed
 * documents not on file added as accepted, once each however often listed (a document is named by its
 * content); and, when the input lists the record's documents, imported ones no longer listed withdrawn.
 * Documents that came from an upload are never touched by an import. On a record's first import its documents
 * are taken even when the input does not manage them.
 */
export function importedDocumentEvents(
  documents: readonly VendorDocument[],
  state: VendorState | undefined,
  options: ImportOptions & { firstImport: boolean },
): NewEvent[] {
  const events: NewEvent[] = [];
  const onFile = new Map(
    (state?.documents ?? []).filter((d) => d.status !== 'withdrawn').map((d) => [d.documentId, d]),
  );
  const wanted = new Set<string>();
  if (options.manageDocuments || options.firstImport) {
    for (const document of documents) {
      const documentId = documentIdOf(document);
      if (wanted.has(documentId)) continue; // the same document listed twice is one document
      wanted.add(documentId);
      if (onFile.has(documentId)) continue;
      events.push({
        type: 'document-added',
        data: { documentId, document, source: 'import', status: 'accepted' },
      });
    }
  }
  if (options.manageDocuments)
    for (const doc of onFile.values())
      if (doc.source === 'import' && !wanted.has(doc.documentId))
        events.push({
          type: 'document-withdrawn',
          data: { documentId: doc.documentId, reason: WITHDRAWN_REASON },
        });
  return events;
}
