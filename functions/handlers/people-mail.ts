// Sends one people's-side notification exactly once: the notification event and the e-mail's intent are
// recorded together first, then the mail goes out, then `email-sent`. A retry after a crash finds the intent and
// sends (SES at-least-once, the same rule as the lifecycle's mail); a retry after success sends nothing.
import type { Actor, NotificationType } from '../core/events.js';
import type { RenderedMail } from '../core/mail/templates.js';
import type { PeopleDeps } from './people-runtime.js';

/** 'document-accepted-notice' is an e-mail only: the decision itself is the `document-accepted` event. */
export interface PeopleNotification {
  type:
    | Extract<NotificationType, 'document-received' | 'review-request' | 'document-rejected-notice'>
    | 'document-accepted-notice';
  to: string;
  date: string;
  requestId?: string;
  documentId?: string;
}

export function notificationKey(n: PeopleNotification): string {
  return `${n.type}:${n.documentId ?? n.requestId ?? ''}:${n.date}`;
}

export async function notifyOnce(
  deps: PeopleDeps,
  vendorId: string,
  actor: Actor,
  n: PeopleNotification,
  mail: RenderedMail | undefined,
): Promise<void> {
  const key = notificationKey(n);
  const data = {
    date: n.date,
    to: n.to,
    ...(n.requestId ? { requestId: n.requestId } : {}),
    ...(n.documentId ? { documentId: n.documentId } : {}),
  };
  const recorded = await deps.store.update(
    vendorId,
    (state) => {
      if (!state) return [];
      const done = state.notifications.some(
        (x) => x.type === n.type && x.date === n.date && (x.documentId ?? '') === (n.documentId ?? ''),
      );
      if (done || state.emails[key]) return [];
      return [
        ...(n.type === 'document-accepted-notice' ? [] : [{ type: n.type, data }]),
        ...(mail
          ? [
              {
                type: 'email-intended' as const,
                data: { key, kind: n.type, to: n.to, subject: mail.subject, date: n.date },
              },
            ]
          : []),
      ];
    },
    { actor },
  );
  const email = recorded.state.emails[key];
  if (!mail || !email || email.sentAt) return;
  const { messageId } = await deps.mailer.send({ to: n.to, ...mail });
  await deps.store.update(
    vendorId,
    (state) =>
      state?.emails[key] && !state.emails[key].sentAt
        ? [{ type: 'email-sent', data: { key, messageId } }]
        : [],
    { actor },
  );
}
