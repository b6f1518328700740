// The compliance lead's console (staff only):
//   GET  /                                       the portfolio: coverage, policy findings, recorded findings
//   GET  /vendors/{vendorId}                     one vendor: status, documents, findings, audit trail
//   POST /vendors/{vendorId}/findings/{findingId} acknowledge (with a note) or close (risk accepted)
// The lifecycle's own findings (stale-report, no-report) can be acknowledged but only a cure closes them;
// a policy finding not yet on record (e.g. scope-gap) is recorded by the first action on it ("new-<code>").
import { assessVendor, FINDING_CODES } from '../core/assess.js';
import { NotFoundError, ValidationError } from '../core/errors.js';
import type { NewEvent } from '../core/events.js';
import { LIFECYCLE_FINDINGS } from '../core/plan.js';
import { verifyChain } from '../core/audit-chain.js';
import { portfolioVendor } from '../core/vendor-state.js';
import { portfolioPage, vendorPage, type FindingRow, type PortfolioRow } from '../web/console-pages.js';
import { bodyText, lambda, page, param, redirect, router, staffIdentity, type RouteHandler } from './http.js';
import { peopleDeps, settingsOf, today, type PeopleDeps } from './people-runtime.js';
import { staffPages } from './review.js';

const MAX_NOTE = 2000;

/** The vendor's log checked as an auditor would (`bridgekeeper audit verify`, for one vendor). */
async function chainStatus(deps: PeopleDeps, vendorId: string) {
  const raw = await deps.store.rawLog(vendorId);
  const report = verifyChain(vendorId, raw.events, raw.head);
  return {
    events: report.events,
    headHash: report.headHash,
    problems: [
      ...report.problems.map((p) => (p.seq === null ? p.message : `#${p.seq}: ${p.message}`)),
      ...raw.unreadable.map((u) => `${u.key}: ${u.error}`),
    ],
  };
}

export function consoleRoutes(getDeps: () => PeopleDeps): RouteHandler {
  return async (event) =>
    router(
      {
        'GET /': async (e) => {
          const staff = staffIdentity(e);
          const deps = getDeps();
          const asOf = today(deps);
          const ids = await deps.store.listVendorIds();
          const states = await deps.store.loadMany(ids);
          const rows: PortfolioRow[] = [];
          const names = new Map<string, string>();
          for (const id of ids) {
            const state = states.get(id);
            const vendor = state && portfolioVendor(state);
            if (!state || !vendor) continue;
            names.set(id, vendor.name);
            rows.push({
              vendorId: id,
              name: vendor.name,
              tier: vendor.tier,
              assessment: assessVendor(vendor, asOf, settingsOf(deps, vendor.tier)),
              pendingReviews: state.documents.filter((d) => d.status === 'pending-review').length,
              openRequest: state.openRequestId !== null,
            });
          }
          const recorded = [
            ...(await deps.store.findingsByStatus('open')),
            ...(await deps.store.findingsByStatus('acknowledged')),
          ];
          const findings: FindingRow[] = recorded.map((f) => ({
            vendorId: f.vendorId,
            vendorName: names.get(f.vendorId) ?? f.vendorId,
            finding: f,
          }));
          return page(
            portfolioPage({ name: staff.name }, { asOf, rows, findings, lifecycleCodes: LIFECYCLE_FINDINGS }),
          );
        },

        'GET /vendors/{vendorId}': async (e) => {
          const staff = staffIdentity(e);
          const deps = getDeps();
          const vendorId = param(e, 'vendorId');
          const state = await deps.store.load(vendorId);
          const vendor = state && portfolioVendor(state);
          if (!state || !vendor) throw new NotFoundError('There is no such vendor.');
          const asOf = today(deps);
          const assessment = assessVendor(vendor, asOf, settingsOf(deps, vendor.tier));
          return page(
            vendorPage(
              { name: staff.name },
              {
                vendorId,
                name: vendor.name,
                tier: vendor.tier,
                managerEmail: vendor.managerEmail,
                contactEmail: vendor.contactEmail,
                asOf,
                assessment,
                documents: state.documents,
                findings: Object.values(state.findings),
                computed: assessment.findings,
                requests: Object.values(state.requests),
                events: await deps.store.events(vendorId),
                chain: await chainStatus(deps, vendorId),
                lifecycleCodes: LIFECYCLE_FINDINGS,
              },
            ),
          );
        },

        'POST /vendors/{vendorId}/findings/{findingId}': async (e) => {
          const staff = staffIdentity(e);
          const deps = getDeps();
          const vendorId = param(e, 'vendorId');
          const findingId = param(e, 'findingId');
          const form = new URLSearchParams(bodyText(e));
          const action = form.get('action');
          const note = (form.get('note') ?? '').trim();
          if (action !== 'acknowledge' && action !== 'close')
            throw new ValidationError([{ path: 'action', message: 'choose Acknowledge or Close' }]);
          if (note === '')
            throw new ValidationError([{ path: 'note', message: 'write a note for the audit trail' }]);
          if (note.length > MAX_NOTE)
            throw new ValidationError([{ path: 'note', message: `at most ${MAX_NOTE} characters` }]);
          const asOf = today(deps);
          await deps.store.update(
            vendorId,
            (state): NewEvent[] => {
              const vendor = state && portfolioVendor(state);
              if (!state || !vendor) throw new NotFoundError('There is no such vendor.');
              const events: NewEvent[] = [];
              let record = state.findings[findingId];
              if (!record && findingId.startsWith('new-')) {
                // A policy finding the assessment raises today, recorded by this first action on it.
                const code = findingId.slice(4);
                const live = assessVendor(vendor, asOf, settingsOf(deps, vendor.tier)).findings.find(
                  (f) => f.code === code,
                );
                if (!(FINDING_CODES as readonly string[]).includes(code) || !live)
                  throw new NotFoundError('That finding is no longer raised.');
                if ((LIFECYCLE_FINDINGS as readonly string[]).includes(code))
                  throw new ValidationError([
                    { path: 'finding', message: 'the lifecycle records this finding itself' },
                  ]);
                const id = `${code}-${asOf}`;
                if (state.findings[id])
                  throw new ValidationError([{ path: 'finding', message: 'already recorded today' }]);
                events.push({
                  type: 'finding-opened',
                  data: { findingId: id, code, severity: live.severity },
                });
                record = { findingId: id, code, severity: live.severity, status: 'open', openedAt: asOf };
              }
              if (!record) throw new NotFoundError('There is no such finding.');
              if (action === 'acknowledge') {
                if (record.status !== 'open')
                  throw new ValidationError([{ path: 'finding', message: `it is ${record.status}` }]);
                events.push({ type: 'finding-acknowledged', data: { findingId: record.findingId, note } });
              } else {
                if ((LIFECYCLE_FINDINGS as readonly string[]).includes(record.code))
                  throw new ValidationError([
                    {
                      path: 'finding',
                      message: 'it closes by itself once an accepted document restores coverage',
                    },
                  ]);
                if (record.status === 'closed')
                  throw new ValidationError([{ path: 'finding', message: 'it is closed' }]);
                events.push({
                  type: 'finding-closed',
                  data: { findingId: record.findingId, reason: `risk accepted by ${staff.id}: ${note}` },
                });
              }
              return events;
            },
            { actor: { kind: 'staff', id: staff.id } },
          );
          return redirect(`/vendors/${encodeURIComponent(vendorId)}`);
        },
      },
      staffPages(event),
    )(event);
}

export const handler = lambda(consoleRoutes(peopleDeps));
