// The Mailer port in this process's memory, for `simulate`: messages are kept, in order, for the run to inspect
// (what the SES mailbox's web view shows on `npm start`).
import { randomUUID } from 'node:crypto';
import type { Mailer, OutgoingEmail } from '../../ports/mailer.js';

export interface KeptMail extends OutgoingEmail {
  messageId: string;
}

export class MemoryMailbox implements Mailer {
  readonly sent: KeptMail[] = [];
  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    const messageId = randomUUID();
    this.sent.push({ ...email, messageId });
    return { messageId };
  }
}

const shared = new Map<string, MemoryMailbox>();

/** The process-wide mailbox behind a name (every handler module of one process sends into the same one). */
export function memoryMailbox(name: string): MemoryMailbox {
  let box = shared.get(name);
  if (!box) {
    box = new MemoryMailbox();
    shared.set(name, box);
  }
  return box;
}

export function dropMemoryMailbox(name: string): void {
  shared.delete(name);
}
