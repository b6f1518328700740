// The people's-side e-mails: the review request to the vendor manager when a document arrives, and the
// rejection (with the manager's reason) to the vendor. Every vendor-supplied or staff-typed string is escaped in
// the HTML part and kept out of headers except as one safe line.
import { escapeHtml, headerText, type RenderedMail } from './templates.js';
import { kindName } from '../review.js';

function render(subject: string, paragraphs: { text: string; link?: string }[]): RenderedMail {
  const text = `${paragraphs.map((p) => (p.link ? `${p.text}: ${p.link}` : p.text)).join('\n\n')}\n`;
  const body = paragraphs
    .map((p) =>
      p.link
        ? `<p><a href="${escapeHtml(p.link)}">${escapeHtml(p.text)}</a></p>`
        : `<p>${escapeHtml(p.text)}</p>`,
    )
    .join('\n');
  const safeSubject = headerText(subject, 200);
  return {
    subject: safeSubject,
    text,
    html: `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(safeSubject)}</title></head>\n<body style="font-family: sans-serif; line-height: 1.5">\n${body}\n</body></html>\n`,
  };
}

export function reviewRequestMail(f: {
  vendorName: string;
  kind: string;
  date: string;
  reviewUrl?: string;
}): RenderedMail {
  return render(`Review needed: ${kindName(f.kind)} from ${headerText(f.vendorName, 80)}`, [
    { text: 'Hello,' },
    {
      text: `On ${f.date}, ${f.vendorName} uploaded a ${kindName(f.kind)} through its request link. The vendor's entries are untrusted until you confirm them against the document.`,
    },
    f.reviewUrl
      ? { text: 'Review it in Bridgekeeper', link: f.reviewUrl }
      : { text: 'Review it in Bridgekeeper (review queue).' },
  ]);
}

export function documentRejectedMail(f: {
  vendorName: string;
  kind: string;
  reason: string;
  uploadUrl?: string;
}): RenderedMail {
  return render(`Your ${kindName(f.kind)} could not be accepted`, [
    { text: 'Hello,' },
    {
      text: `Thank you for the ${kindName(f.kind)} you sent for ${f.vendorName}. Our vendor manager could not accept it, for this reason:`,
    },
    { text: f.reason },
    f.uploadUrl
      ? { text: 'The request is still open: please send a corrected document here', link: f.uploadUrl }
      : {
          text: 'The request is still open: please send a corrected document using the link in our request e-mail.',
        },
  ]);
}

export function documentAcceptedMail(f: { vendorName: string; kind: string }): RenderedMail {
  return render(`Your ${kindName(f.kind)} was accepted`, [
    { text: 'Hello,' },
    {
      text: `Thank you: the ${kindName(f.kind)} you sent for ${f.vendorName} was reviewed and accepted. Nothing more is needed for this request.`,
    },
  ]);
}

export function cuecConfirmationMail(f: {
  vendorName: string;
  kind: string;
  periodEnd: string | null;
  cuecId: string;
  cuecText: string;
  confirmUrl?: string;
}): RenderedMail {
  return render(`Please confirm a control for ${headerText(f.vendorName, 80)}: ${headerText(f.cuecId, 40)}`, [
    { text: 'Hello,' },
    {
      text: `The ${kindName(f.kind)} of ${f.vendorName}${f.periodEnd ? ` (period ending ${f.periodEnd})` : ''} relies on a control our bank runs, and you are recorded as its owner. Is it in place?`,
    },
    { text: `${f.cuecId}: ${f.cuecText}` },
    f.confirmUrl
      ? { text: 'Confirm its status here (the link is for you only and works once)', link: f.confirmUrl }
      : { text: 'Reply to the vendor manager with its status: in place, not in place or not applicable.' },
  ]);
}
