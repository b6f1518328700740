// The embedded SES v2 mailbox (aws-ses-v2-local): SendEmail lands in memory; GET /store lists what was sent.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sesLocal from 'aws-ses-v2-local';

// A CommonJS module with `exports.default`: under ESM the server function sits one level down.
const startSesServer = ((sesLocal as unknown as { default?: typeof sesLocal }).default ??
  sesLocal) as unknown as (config: { host: string; port: number }) => Promise<Server>;

export interface SesMailbox {
  endpoint: string;
  /** Every message sent so far (the server's GET /store). */
  messages(): Promise<StoredMail[]>;
  /** Empties the mailbox (POST /clear-store). */
  clear(): Promise<void>;
  stop(): Promise<void>;
}

/** One message as aws-ses-v2-local stores it (the fields Bridgekeeper uses). */
export interface StoredMail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  /** Epoch seconds (the mailbox's own clock, not the virtual one). */
  at: number;
}

export async function startSesMailbox(options: { port?: number } = {}): Promise<SesMailbox> {
  const server: Server = await startSesServer({ host: '127.0.0.1', port: options.port ?? 0 });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  // aws-ses-v2-local keeps one mailbox per process: a new embedded stack starts with it empty.
  await fetch(`${endpoint}/clear-store`, { method: 'POST' });
  return {
    endpoint,
    async messages() {
      const response = await fetch(`${endpoint}/store`);
      const body = (await response.json()) as { emails: StoredMail[] };
      return body.emails;
    },
    async clear() {
      await fetch(`${endpoint}/clear-store`, { method: 'POST' });
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections?.();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
