// The lifecycle's e-mails: plain words, the right facts, vendor text escaped, nothing internal to the vendor.
import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  headerText,
  renderLifecycleMail,
  type MailFacts,
} from '../../../functions/core/mail/templates.js';
import { readConfig } from '../../../functions/edge/logger.js';

const facts: MailFacts = {
  vendorName: 'Acme "Pay" <b>& Co</b>',
  vendorId: 'acme-pay',
  date: '2026-12-01',
  lapseDate: '2026-12-31',
  periodEnd: '2025-12-31',
  bridgedUntil: null,
  dueDate: '2026-12-31',
  uploadUrl: 'https://bk.example/u/TOKEN',
  linkExpires: '2027-03-01',
  consoleUrl: 'https://bk.example/vendors/acme-pay',
};

describe('lifecycle e-mails', () => {
  it('the vendor request says what, by when, and where to upload, and nothing internal', () => {
    const mail = renderLifecycleMail('vendor-request', { ...facts, consoleUrl: undefined });
    expect(mail.subject).toBe('SOC 2 report needed from Acme "Pay" <b>& Co</b> by 2026-12-31');
    expect(mail.text).toContain(
      'new SOC 2 Type II report, or a bridge letter covering 2026-01-01 through today',
    );
    expect(mail.text).toContain('We need it by 2026-12-31.');
    expect(mail.text).toContain('Upload it here: https://bk.example/u/TOKEN');
    expect(mail.html).toContain('Acme &quot;Pay&quot; &lt;b&gt;&amp; Co&lt;/b&gt;');
    expect(mail.html).not.toContain('<b>&');
    for (const part of [mail.text, mail.html]) {
      expect(part).not.toContain('/vendors/');
      expect(part).not.toMatch(/finding|stale-report|escalat/i);
    }
  });

  it('the manager reminder names the dates; the escalation names the finding; neither carries the upload link', () => {
    const reminder = renderLifecycleMail('manager-reminder', { ...facts, uploadUrl: undefined });
    expect(reminder.text).toContain('period ending 2025-12-31; coverage lapses after 2026-12-31');
    // Sent on 2026-12-01 (a late start): the request goes out the same day, and the reminder says so.
    expect(reminder.text).toContain(
      'We are asking the vendor for its new SOC 2 Type II report (or a bridge letter) today',
    );
    const onTime = renderLifecycleMail('manager-reminder', {
      ...facts,
      date: '2026-11-01',
      uploadUrl: undefined,
    });
    expect(onTime.text).toContain('On 2026-12-01 we will ask the vendor');
    const escalation = renderLifecycleMail('escalation', {
      ...facts,
      uploadUrl: undefined,
      findingCode: 'stale-report',
    });
    expect(escalation.subject).toContain('Finding opened');
    expect(escalation.text).toContain('more than 12 months past its period end');
    for (const m of [reminder, escalation]) expect(m.text).not.toContain('/u/');
  });

  it('header text has no line breaks (no header injection) and is bounded', () => {
    expect(headerText('a\r\nBcc: x@y\tz')).toBe('a Bcc: x@y z');
    expect(headerText('x'.repeat(300)).length).toBe(120);
    expect(
      renderLifecycleMail('manager-reminder', { ...facts, vendorName: 'A\r\nBcc: evil@x' }).subject,
    ).not.toMatch(/[\r\n]/);
    expect(escapeHtml(`<'&">`)).toBe('&lt;&#39;&amp;&quot;&gt;');
  });

  it('the handlers fail loudly on missing or wrong configuration', () => {
    expect(() => readConfig({})).toThrow('TABLE_NAME');
    const env = { TABLE_NAME: 't', MAIL_FROM: 'a@b.example', PUBLIC_BASE_URL: 'https://x/' };
    expect(readConfig(env)).toMatchObject({ timeZone: 'UTC', mailHour: 9, publicBaseUrl: 'https://x' });
    expect(() => readConfig({ ...env, MAIL_HOUR: '25' })).toThrow('MAIL_HOUR');
    expect(() => readConfig({ ...env, INSTITUTION_TIME_ZONE: 'Mars/Base' })).toThrow('INSTITUTION_TIME_ZONE');
    // Functions without the mail:send need (wait, reconcile) get no MAIL_FROM, and need none.
    expect(readConfig({ TABLE_NAME: 't', PUBLIC_BASE_URL: 'https://x' }).mailFrom).toBeUndefined();
  });
});
