import type { IncomingMessage } from 'node:http';

/**
 * The client address from a proxy header such as X-Forwarded-For, trusting exactly
 * `trustedProxies` hops: each proxy appends the address it saw, so the entry that many places
 * from the right was written by our own first proxy. Anything further left is client-controlled.
 */
export function addressFromForwardedHeader(
  value: string | null | undefined,
  trustedProxies: number,
): string | undefined {
  if (!value) return undefined;
  const hops = value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  return hops[hops.length - trustedProxies];
}

/**
 * A `clientIp` option for the Node adapter behind `trustedProxies` reverse proxies that set
 * `header`. Only use it when every request really passes through those proxies: otherwise a
 * client can claim any address.
 */
export function trustProxyHeader(
  header = 'x-forwarded-for',
  trustedProxies = 1,
): (req: IncomingMessage) => string | undefined {
  const name = header.toLowerCase();
  return (req) => {
    const raw = req.headers[name];
    const value = Array.isArray(raw) ? raw.join(',') : raw;
    return addressFromForwardedHeader(value, trustedProxies) ?? req.socket?.remoteAddress;
  };
}
