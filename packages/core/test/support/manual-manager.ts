import {
  type SessionData,
  type SessionEvent,
  SessionManager,
  type SessionManagerOptions,
} from '../../src/index.js';
import { manualClock } from './clock.js';
import { TestStore } from './test-store.js';

/**
 * A manager on a TestStore, both on a hand-moved clock (1h lifetime, plain-http cookie
 * `session`), with every event it emits collected in `events`.
 */
export function manualManager<D extends SessionData>(options: Partial<SessionManagerOptions> = {}) {
  const clock = manualClock();
  const store = new TestStore(clock);
  const manager = new SessionManager<D>({
    store,
    clock,
    lifetime: '1h',
    cookie: { secure: false },
    ...options,
  });
  const events: SessionEvent[] = [];
  manager.on('*', (event) => events.push(event));
  return { clock, store, manager, events };
}
