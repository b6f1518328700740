// The embedded SES v2 mailbox (aws-ses-v2-local): SendEmail lands in memory; GET /store lists what was sent. In
// front of it, a small relay on the endpoint the handlers are given: it passes every call through and notes, for
// each message sent, the virtual clock's time at that moment, so the mailbox shows when the message went out in
// the simulated calendar (aws-ses-v2-local stamps the real time).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sesLocal from 'aws-ses-v2-local';
import type { Clock } from '../functions/ports/clock.js';

// A CommonJS module with `exports.default`: under ESM the server function sits one level down.
const startSesServer = ((sesLocal as unknown as { default?: typeof sesLocal }).default ??
  sesLocal) as unknown as (config: { host: string; port: number }) => Promise<Server>;

export interface SesMailbox {
  endpoint: string;
  /** Every message sent so far (the server's GET /store), with its simulated send time when known. */
  messages(): Promise<StoredMail[]>;
  /** Empties the mailbox (POST /clear-store). */
  clear(): Promise<void>;
  /** Notes the simulated send time of a message (a restored mailbox keeps the times it had). */
  remember(messageId: string, sentAt: string): void;
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
  /** ISO instant on the virtual clock when it was sent (the relay's note). */
  sentAt?: string;
}

const SEND_PATH = /^\/v2\/email\/outbound-emails\/?(\?|$)/;

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.closeAllConnections?.();
    server.close((error) => (error ? reject(error) : resolve()));
  });
}

export async function startSesMailbox(options: { clock?: Clock } = {}): Promise<SesMailbox> {
  const inner: Server = await startSesServer({ host: '127.0.0.1', port: 0 });
  const innerUrl = `http://127.0.0.1:${(inner.address() as AddressInfo).port}`;
  const sentAt = new Map<string, string>();
  const relay = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const at = options.clock?.now().toISOString();
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (v !== undefined && k !== 'host' && k !== 'connection')
          headers[k] = Array.isArray(v) ? v.join(',') : v;
      fetch(`${innerUrl}${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers,
        ...(body.length > 0 ? { body } : {}),
      })
        .then(async (answer) => {
          const bytes = Buffer.from(await answer.arrayBuffer());
          if (at && req.method === 'POST' && SEND_PATH.test(req.url ?? '') && answer.ok) {
            const id = (JSON.parse(bytes.toString('utf8')) as { MessageId?: string }).MessageId;
            if (id) sentAt.set(id, at);
          }
          const out: Record<string, string> = {};
          answer.headers.forEach((v, k) => {
            if (k !== 'content-encoding' && k !== 'transfer-encoding' && k !== 'connection') out[k] = v;
          });
          out['content-length'] = String(bytes.length);
          res.writeHead(answer.status, out);
          res.end(bytes);
        })
        .catch(() => {
          res.writeHead(502).end();
        });
    });
  });
  const port = await listen(relay);
  const endpoint = `http://127.0.0.1:${port}`;
  // aws-ses-v2-local keeps one mailbox per process: a new embedded stack starts with it empty.
  await fetch(`${innerUrl}/clear-store`, { method: 'POST' });
  return {
    endpoint,
    async messages() {
      const response = await fetch(`${innerUrl}/store`);
      const body = (await response.json()) as { emails: StoredMail[] };
      return body.emails.map((m) => {
        const at = sentAt.get(m.messageId);
        return at ? { ...m, sentAt: at } : m;
      });
    },
    async clear() {
      sentAt.clear();
      await fetch(`${innerUrl}/clear-store`, { method: 'POST' });
    },
    remember(messageId, at) {
      sentAt.set(messageId, at);
    },
    async stop() {
      await close(relay);
      await close(inner);
    },
  };
}
