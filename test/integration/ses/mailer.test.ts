// The SES v2 adapter against the local mailbox (aws-ses-v2-local) over the real wire: both parts arrive, escaped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSesMailer } from '../../../functions/adapters/ses/mailer.js';
import { renderLifecycleMail } from '../../../functions/core/mail/templates.js';
import { startSesMailbox, type SesMailbox } from '../../../local/ses.js';

let box: SesMailbox;
beforeAll(async () => {
  box = await startSesMailbox();
});
afterAll(() => box.stop());

describe('SES mailer', () => {
  it('sends HTML and text to one recipient, from the configured sender', async () => {
    const mailer = createSesMailer({ from: 'bridgekeeper@bank.example', endpoint: box.endpoint });
    const mail = renderLifecycleMail('vendor-request', {
      vendorName: 'Evil <script>alert(1)</script> Ltd',
      vendorId: 'evil',
      date: '2026-12-01',
      lapseDate: '2026-12-31',
      periodEnd: '2025-12-31',
      bridgedUntil: null,
      dueDate: '2026-12-31',
      uploadUrl: 'https://bk.example/u/abc',
      linkExpires: '2027-03-01',
    });
    const { messageId } = await mailer.send({ to: 'security@evil.example', ...mail });
    expect(messageId).not.toBe('');
    const [stored] = (await box.messages()).filter((m) => m.messageId === messageId);
    expect(stored!.from).toBe('bridgekeeper@bank.example');
    expect(stored!.destination.to).toEqual(['security@evil.example']);
    expect(stored!.body.html).toContain('Evil &lt;script&gt;alert(1)&lt;/script&gt; Ltd');
    expect(stored!.body.html).not.toContain('<script>');
    expect(stored!.body.text).toContain('https://bk.example/u/abc');
    expect(stored!.body.text).toContain('by 2026-12-31');
    expect(stored!.subject).toContain('Evil <script>');
  });

  it('a new mailbox starts empty', async () => {
    const other = await startSesMailbox();
    try {
      expect(await other.messages()).toEqual([]);
    } finally {
      await other.stop();
    }
  });
});
