import type { IncomingMessage } from 'node:http';

/**
 * A `clientIp` for core's Node adapter that honours Express's `trust proxy` setting: Express
 * computes `req.ip` from the socket and, only when the app trusts its proxies, from
 * X-Forwarded-For. Outside Express (no `req.ip`) it is the socket's address.
 */
export function expressClientIp(req: IncomingMessage): string | undefined {
  const ip = (req as IncomingMessage & { ip?: unknown }).ip;
  return typeof ip === 'string' && ip !== '' ? ip : req.socket?.remoteAddress;
}
