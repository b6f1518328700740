// The lifecycle's e-mails: plain words, the right facts, vendor text escaped, nothing internal to the vendor.
import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  headerText,
  renderLifecycleMail,
  type MailFacts,
} from '../../../functions/core/mail/templates.js';
import { ConfigurationError, readConfig } from '../../../functions/edge/config.js';

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

  it('a follow-up past the due date says how long the request has been overdue', () => {
    const late = renderLifecycleMail('vendor-follow-up', {
      ...facts,
      date: '2027-01-14',
      consoleUrl: undefined,
    });
    expect(late.subject).toBe('Overdue by 14 days: SOC 2 report from Acme "Pay" <b>& Co</b>');
    expect(late.text).toContain('It was due on 2026-12-31: our request is now 14 days overdue.');
    expect(late.text).not.toContain('We need it by');
    const early = renderLifecycleMail('vendor-follow-up', {
      ...facts,
      date: '2026-12-08',
      consoleUrl: undefined,
    });
    expect(early.subject).toContain('Reminder: SOC 2 report needed');
    expect(early.text).toContain('We need it by 2026-12-31.');
  });

  it('the handlers fail loudly on missing or wrong configuration, naming every variable', () => {
    expect(() => readConfig({}, ['table:read', 'mail:send'])).toThrow(
      new ConfigurationError('configuration: TABLE_NAME is not set; MAIL_FROM is not set'),
    );
    const env = { TABLE_NAME: 't', MAIL_FROM: 'a@b.example', PUBLIC_BASE_URL: 'https://x/' };
    expect(readConfig(env, ['table:read'])).toMatchObject({
      timeZone: 'UTC',
      mailHour: 9,
      publicBaseUrl: 'https://x',
      tableName: 't',
    });
    expect(() => readConfig({ ...env, MAIL_HOUR: '25' }, [])).toThrow('MAIL_HOUR');
    expect(() => readConfig({ ...env, INSTITUTION_TIME_ZONE: 'Mars/Base' }, [])).toThrow(
      'INSTITUTION_TIME_ZONE',
    );
    expect(() => readConfig({ ...env, POLICY_JSON: '{"x":1}' }, [])).toThrow('POLICY_JSON');
    // A value read without the need that brings it is refused too, even when the variable happens to be set.
    const wait = readConfig(env, ['table:read', 'table:write']);
    expect(() => wait.mailFrom).toThrow('reads MAIL_FROM but declares no need that brings it');
  });
});
