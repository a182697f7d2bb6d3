import { type SessionEventMap, SessionEvents, type SessionEventType } from './events.js';

/**
 * The manager's event list: like SessionEvents, but the first `error` event that nobody
 * observes (no `error` or `*` listener, no diagnostics_channel subscriber) is written to the
 * console, so a failing store under an adapter that answers a bare 503 is not silent. Only
 * the first: a store that is down would otherwise log once per request.
 */
export class ManagerEvents extends SessionEvents {
  #logged = false;

  constructor(private readonly log: boolean) {
    super();
  }

  override emit<K extends SessionEventType>(type: K, payload: SessionEventMap[K]): void {
    if (type === 'error' && this.log && !this.#logged && !this.listens('error')) {
      this.#logged = true;
      const { error, phase } = payload as SessionEventMap['error'];
      console.error(
        `hallpass: a session ${phase} failed and nothing listens for the manager's "error" event. ` +
          'Later errors are not logged: subscribe with manager.on("error", ...), or pass ' +
          'logUnobservedErrors: false to silence this.',
        error,
      );
    }
    super.emit(type, payload);
  }
}
