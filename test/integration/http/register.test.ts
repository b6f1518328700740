// The findings register over HTTP against the whole local stack (the lifecycle runner with its virtual clock, the
// SES mailbox): who may do what (spec section 7, with the roles derived from the portfolio until the sign-in
// supplies them), and a risk acceptance that expires into an open finding and an e-mail to the compliance lead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../../functions/core/dates.js';
import { START, startTestStack, type TestStack } from '../../support/people-stack.js';

let stack: TestStack;
const TODAY = START.toISOString().slice(0, 10);

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** The id of the vendor's open finding with this code, from the register page. */
async function findingOf(vendorId: string, code: string, cookie: string): Promise<string> {
  const page = await (await stack.get(`/findings?vendor=${vendorId}`, cookie)).text();
  const match = new RegExp(`href="/vendors/${vendorId}/findings/(${code}-[0-9-]+)"`).exec(page);
  if (!match) throw new Error(`no ${code} finding on ${vendorId}`);
  return match[1]!;
}

const lastEvent = async (vendorId: string) => (await stack.embedded.store.events(vendorId)).at(-1);

describe('who may act on a finding', () => {
  it('a manager of another vendor may not acknowledge: 403 naming the role, nothing recorded', async () => {
    const omar = await stack.signIn('omar.haddad@bank.example');
    const id = await findingOf('tallyworks', 'soc1-not-soc2', omar);
    const before = await lastEvent('tallyworks');
    const page = await stack.get(`/vendors/tallyworks/findings/${id}`, omar);
    const html = await page.text();
    expect(html).not.toContain('id="acknowledge-form"');
    expect(html).toContain('needs the role compliance-lead, or vendor-manager of this vendor');
    const refused = await stack.postForm(
      `/vendors/tallyworks/findings/${id}`,
      { action: 'acknowledge', note: 'seen' },
      omar,
    );
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain(
      'This needs the role: <strong>compliance-lead, or vendor-manager of this vendor</strong>.',
    );
    expect(await lastEvent('tallyworks')).toEqual(before);
  });

  it('the vendor’s own manager acknowledges, but may not assign or accept the risk', async () => {
    const marcus = await stack.signIn('marcus.lee@bank.example');
    const id = await findingOf('tallyworks', 'soc1-not-soc2', marcus);
    const done = await stack.postForm(
      `/vendors/tallyworks/findings/${id}`,
      { action: 'acknowledge', note: 'Asked Tallyworks for a SOC 2.' },
      marcus,
    );
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/vendors/tallyworks/findings/${id}?done=acknowledge`);
    expect(await lastEvent('tallyworks')).toMatchObject({
      type: 'finding-acknowledged',
      actor: { kind: 'staff', id: 'marcus.lee@bank.example' },
      data: { note: 'Asked Tallyworks for a SOC 2.' },
    });
    const forms: Record<string, string>[] = [
      { action: 'assign', owner: 'marcus.lee@bank.example', dueDate: addDays(TODAY, 10), note: 'mine' },
      { action: 'accept-risk', reason: 'fine', expiresOn: addDays(TODAY, 10) },
    ];
    for (const form of forms) {
      const refused = await stack.postForm(`/vendors/tallyworks/findings/${id}`, form, marcus);
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('This needs the role: <strong>compliance-lead</strong>.');
    }
  });

  it('a compliance lead assigns an owner and a due date; the register finds it by owner', async () => {
    const tara = await stack.signIn('tprm@bank.example');
    const id = await findingOf('tallyworks', 'soc1-not-soc2', tara);
    const done = await stack.postForm(
      `/vendors/tallyworks/findings/${id}`,
      {
        action: 'assign',
        owner: 'Marcus.Lee@bank.example',
        dueDate: addDays(TODAY, 20),
        note: 'Marcus chases it.',
      },
      tara,
    );
    expect(done.status).toBe(303);
    const register = await (await stack.get('/findings?owner=marcus.lee@bank.example', tara)).text();
    expect(register).toContain(`/vendors/tallyworks/findings/${id}`);
    expect(register).toContain('remediating');
    const bad = await stack.postForm(
      `/vendors/tallyworks/findings/${id}`,
      { action: 'assign', owner: 'marcus', dueDate: '2026-02-30', note: '' },
      tara,
    );
    expect(bad.status).toBe(400);
    const text = await bad.text();
    for (const field of ['owner', 'dueDate', 'note']) expect(text).toContain(`${field}:`);
  });
});

describe('a risk acceptance that expires', () => {
  it('holds until its expiry, opens again the day after, and the compliance lead is told', async () => {
    const tara = await stack.signIn('tprm@bank.example');
    const id = await findingOf('signalpath', 'scope-gap', tara);
    const expiresOn = addDays(TODAY, 3);
    const accepted = await stack.postForm(
      `/vendors/signalpath/findings/${id}`,
      { action: 'accept-risk', reason: 'EU data is tokenised before it reaches SignalPath.', expiresOn },
      tara,
    );
    expect(accepted.status).toBe(303);
    await stack.idle();
    const state = async () => (await stack.embedded.store.load('signalpath'))!.findings[id]!;
    expect((await state()).status).toBe('risk-accepted');
    // The acceptance woke the lifecycle: it now sleeps no later than the day after the expiry.
    const wake = (await stack.embedded.store.load('signalpath'))!.scheduledAt!;
    expect(wake.slice(0, 10) <= addDays(expiresOn, 1)).toBe(true);
    const overdueBefore = await (await stack.get('/findings?overdue=1', tara)).text();
    expect(overdueBefore).not.toContain(`/vendors/signalpath/findings/${id}"`);

    await stack.embedded.advanceDays(3);
    await stack.idle();
    expect((await state()).status).toBe('risk-accepted');
    await stack.embedded.advanceDays(1);
    await stack.idle();
    expect(await state()).toMatchObject({ status: 'open', reopenedAt: expect.any(String) });
    const mail = (await stack.embedded.mailbox.messages()).filter((m) =>
      m.subject.startsWith('Risk acceptance expired: SignalPath'),
    );
    expect(mail).toHaveLength(1);
    expect(mail[0]!.destination.to).toEqual(['tprm@bank.example']);
    const page = await (await stack.get(`/vendors/signalpath/findings/${id}`, tara)).text();
    expect(page).toContain('(risk acceptance expired)');
    expect(page).toContain('the risk acceptance expired on');
    // Still one row for the finding: the same finding, open again, not a second one.
    const register = await (await stack.get('/findings?vendor=signalpath', tara)).text();
    expect(register.match(/findings\/scope-gap-/g)).toHaveLength(1);
  });
});
