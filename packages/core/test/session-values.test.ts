import { describe, expect, it } from 'vitest';
import { SessionManager } from '../src/index.js';
import { TestStore } from './support/test-store.js';

describe('session values', () => {
  it('reads only values the session holds: inherited members of Object are not values', async () => {
    const manager = new SessionManager({ store: new TestStore() });
    const session = await manager.load(undefined);
    for (const key of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf']) {
      expect(session.get(key as never), key).toBeUndefined();
      expect(session.exists(key as never), key).toBe(false);
      expect(session.pop(key as never), key).toBeUndefined();
    }
    expect(session.keys()).toEqual([]);
  });

  it('refuses "__proto__" as a key, so no write can replace the values prototype', async () => {
    const manager = new SessionManager({ store: new TestStore() });
    const session = await manager.load(undefined);
    expect(() => session.put('__proto__' as never, { polluted: true } as never)).toThrow(
      /__proto__/,
    );
    expect(session.get('polluted' as never)).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
