import { setTimeout as sleep } from 'node:timers/promises';
import type { Session } from '@hallpass/core';

/**
 * The scenario routes (see describeHttpScenarios) written once against a Session, for the
 * adapters in @hallpass/core: each test app only maps its framework onto `route`.
 */
export async function route(
  method: string,
  url: URL,
  session: Session,
): Promise<{ status: number; json: unknown } | 'throw' | 'misuse'> {
  const param = (name: string) => url.searchParams.get(name) ?? '';
  const wait = Number(param('wait') || 0);
  if (wait) await sleep(wait);
  switch (`${method} ${url.pathname}`) {
    case 'POST /login':
      await session.signIn(param('user'));
      session.put('user', param('user'));
      return { status: 200, json: { user: param('user') } };
    case 'GET /me':
      return { status: 200, json: { user: session.get('user') ?? null, id: session.id } };
    case 'POST /renew':
      await session.renewToken();
      return { status: 200, json: { ok: true } };
    case 'POST /logout':
      await session.destroy();
      return { status: 200, json: { ok: true } };
    case 'POST /set':
      session.put(param('key'), param('value'));
      return { status: 200, json: { ok: true } };
    case 'GET /all':
      return {
        status: 200,
        json: Object.fromEntries(session.keys().map((key) => [key, session.get(key)])),
      };
    case 'GET /throw':
      return 'throw';
    case 'GET /misuse':
      return 'misuse';
    default:
      return { status: 404, json: {} };
  }
}
