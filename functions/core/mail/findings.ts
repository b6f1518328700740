// The findings register's e-mail: a risk acceptance expired while the finding is still raised, so the finding is
// open again (spec section 8). To the vendor's compliance lead only; the vendor never hears of internal findings.
import type { FindingCode } from '../assess.js';
import { FINDING_WORDS } from '../words.js';
import { escapeHtml, headerText, type MailFacts, type RenderedMail } from './templates.js';

export function riskAcceptanceExpiredMail(f: MailFacts): RenderedMail {
  const code = f.findingCode ?? 'finding';
  const words = FINDING_WORDS[code as FindingCode];
  const subject = headerText(`Risk acceptance expired: ${headerText(f.vendorName, 80)} (${code})`, 200);
  const paragraphs: { text: string; link?: string }[] = [
    { text: 'Hello,' },
    {
      text: `The risk acceptance of the ${code} finding on ${f.vendorName} ended on ${f.expiresOn ?? 'its expiry date'}. The assessment still raises the finding, so as of ${f.date} it is open again and needs a decision: remediate it, or accept the risk anew.`,
    },
    ...(words ? [{ text: `What the finding means: ${words}` }] : []),
    ...(f.consoleUrl ? [{ text: 'The vendor in Bridgekeeper', link: f.consoleUrl }] : []),
  ];
  const text = `${paragraphs.map((p) => (p.link ? `${p.text}: ${p.link}` : p.text)).join('\n\n')}\n`;
  const body = paragraphs
    .map((p) =>
      p.link
        ? `<p><a href="${escapeHtml(p.link)}">${escapeHtml(p.text)}</a></p>`
        : `<p>${escapeHtml(p.text)}</p>`,
    )
    .join('\n');
  return {
    subject,
    text,
    html: `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n<body style="font-family: sans-serif; line-height: 1.5">\n${body}\n</body></html>\n`,
  };
}
