import { randomBytes } from 'node:crypto';
import { CookieClient, type Reply } from './http-client.js';

/**
 * Simulated users, each with a few devices, driving the soak app while an oracle records what
 * every device was acknowledged, and checks each answer against it:
 * - an acknowledged write is never lost while its session lives;
 * - a session ended by an acknowledged sign-out, renewal or revocation is never usable again;
 * - nobody ever sees another user's identity or data;
 * - no request hangs; without `tolerateUnavailable` every request succeeds.
 * A user's steps run one after another (so the oracle knows the order); users run concurrently,
 * and a write step sends up to three writes to distinct keys of one session at once.
 */

export interface LoadOptions {
  users: number;
  devicesPerUser: number;
  /** Stop each user after this many steps... */
  stepsPerUser?: number;
  /** ...or at this epoch-ms instant, whichever comes first. */
  until?: number;
  /** A request not answered within this many ms counts as stuck. Default 15 000. */
  requestTimeoutMs?: number;
  /**
   * Accept 503 (store unavailable) answers: the step's outcome becomes unknown and the oracle
   * only accepts what a half-applied step can explain. Without it a 503 is a violation.
   */
  tolerateUnavailable?: boolean;
  /** Revocation steps need a store with the userIndex capability. Default true. */
  revocation?: boolean;
}

export interface LoadReport {
  users: number;
  devices: number;
  requests: number;
  statuses: Record<string, number>;
  ackedWrites: number;
  retiredTokens: number;
  retiredProbes: number;
  violations: string[];
  durationMs: number;
}

interface Device {
  label: string;
  user: string;
  client: CookieClient;
  /** Acknowledged as signed in (and not since signed out, renewed away or revoked). */
  signedIn: boolean;
  /** A step on it failed with 503: its session may or may not exist any more. */
  uncertain: boolean;
  id: string | null;
  acked: Map<string, string>;
  /** Writes answered 503: they may or may not have landed. */
  pending: Map<string, string>;
  writes: number;
  /**
   * Sign-ins and renewals answered 503 whose new session may still have been stored (the write
   * reached the backend before the outage answered for it): sessions of this user that no
   * device holds a cookie for, until a sign-out-everywhere-else removes them.
   */
  ghosts: number;
}

interface Me {
  user: string | null;
  id: string | null;
  data: Record<string, string>;
}

/** The oracle and the simulated clients; `run` can be called again to continue the same users. */
export class LoadDriver {
  readonly devices: Device[][];
  readonly retired: Array<{ token: string; why: string }> = [];
  readonly violations: string[] = [];
  readonly statuses = new Map<string, number>();
  requests = 0;
  ackedWrites = 0;
  retiredProbes = 0;
  tolerateUnavailable: boolean;
  readonly #revocation: boolean;

  constructor(
    readonly baseUrl: string,
    readonly options: LoadOptions,
  ) {
    this.tolerateUnavailable = options.tolerateUnavailable ?? false;
    this.#revocation = options.revocation ?? true;
    const run = randomBytes(3).toString('hex');
    this.devices = Array.from({ length: options.users }, (_, u) =>
      Array.from({ length: options.devicesPerUser }, (_, d) => ({
        label: `u${u}d${d}`,
        user: `user-${run}-${u}`,
        client: new CookieClient(baseUrl, options.requestTimeoutMs ?? 15_000),
        signedIn: false,
        uncertain: false,
        ghosts: 0,
        id: null,
        acked: new Map(),
        pending: new Map(),
        writes: 0,
      })),
    );
  }

  /** Drives every user until its steps run out or `until` passes. */
  async run(stepsPerUser = this.options.stepsPerUser, until = this.options.until): Promise<void> {
    await Promise.all(
      this.devices.map(async (devices) => {
        for (let step = 0; ; step++) {
          if (stepsPerUser !== undefined && step >= stepsPerUser) return;
          if (until !== undefined && Date.now() >= until) return;
          if (stepsPerUser === undefined && until === undefined) return;
          await this.#step(devices);
        }
      }),
    );
  }

  /** Reads every device and probes every retired token: the end-of-run check. */
  async verifyAll(): Promise<void> {
    await Promise.all(this.devices.flat().map((device) => this.#read(device)));
    await Promise.all(this.retired.map((entry) => this.#probe(entry)));
  }

  /** Devices whose session must exist right now (acknowledged and not uncertain). */
  signedInDevices(): number {
    return this.devices.flat().filter((device) => device.signedIn && !device.uncertain).length;
  }

  report(startedAt: number): LoadReport {
    return {
      users: this.devices.length,
      devices: this.devices.flat().length,
      requests: this.requests,
      statuses: Object.fromEntries(this.statuses),
      ackedWrites: this.ackedWrites,
      retiredTokens: this.retired.length,
      retiredProbes: this.retiredProbes,
      violations: this.violations,
      durationMs: Date.now() - startedAt,
    };
  }

  async #step(devices: Device[]): Promise<void> {
    const device = pick(devices);
    if (device.uncertain) return this.#read(device);
    if (!device.signedIn) return this.#signIn(device);
    const roll = Math.random() * 100;
    if (roll < 30) return this.#read(device);
    if (roll < 62) return this.#writeBurst(device);
    if (roll < 70) return this.#renew(device);
    if (roll < 76 && this.#revocation) return this.#revokeOne(device, devices);
    if (roll < 79 && this.#revocation) return this.#revokeOthers(device, devices);
    if (roll < 85) return this.#signOut(device);
    const retired = this.retired.length > 0 ? pick(this.retired) : undefined;
    return retired ? this.#probe(retired) : this.#read(device);
  }

  async #send(device: Device, method: 'GET' | 'POST', path: string): Promise<Reply | 'unknown'> {
    const reply = await device.client.send(method, path);
    return this.#classify(reply, `${device.label} ${method} ${path}`);
  }

  /** Counts the reply; a 503 under tolerance becomes 'unknown', anything else odd a violation. */
  #classify(reply: Reply, what: string): Reply | 'unknown' {
    this.requests++;
    const key = reply.status === 0 ? 'no answer' : String(reply.status);
    this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1);
    if (reply.status === 200) return reply;
    if (reply.status === 503 && this.tolerateUnavailable) return 'unknown';
    this.violations.push(
      `${what}: ${reply.status === 0 ? `no answer (${reply.error})` : `status ${reply.status}`}`,
    );
    return 'unknown';
  }

  async #signIn(device: Device): Promise<void> {
    const reply = await this.#send(device, 'POST', `/sign-in?user=${device.user}`);
    device.acked.clear();
    device.pending.clear();
    if (reply === 'unknown') {
      device.uncertain = true;
      device.ghosts++;
      return;
    }
    device.signedIn = true;
    device.id = null;
    await this.#read(device);
  }

  async #read(device: Device): Promise<void> {
    const reply = await this.#send(device, 'GET', '/me');
    if (reply === 'unknown') return;
    this.#check(device, reply.body as Me);
  }

  /** Compares what the server says about a device's session with what the device was told. */
  #check(device: Device, me: Me): void {
    const where = `${device.label} (${device.user})`;
    if (me.user === null) {
      if (device.signedIn && !device.uncertain) {
        this.violations.push(`${where}: acknowledged session lost (reads as anonymous)`);
      }
      if (Object.keys(me.data).length > 0) {
        this.violations.push(`${where}: anonymous answer carries data ${JSON.stringify(me.data)}`);
      }
      this.#reset(device);
      return;
    }
    if (me.user !== device.user) {
      this.violations.push(`${where}: sees the session of ${me.user}`);
      return;
    }
    if (!device.signedIn && !device.uncertain) {
      this.violations.push(`${where}: a session it was told had ended is still usable`);
    }
    for (const [key, value] of device.acked) {
      if (me.data[key] !== value) {
        this.violations.push(
          `${where}: acknowledged write ${key}=${value} reads as ${me.data[key] ?? 'missing'}`,
        );
      }
    }
    for (const [key, value] of Object.entries(me.data)) {
      const known = device.acked.get(key) ?? device.pending.get(key);
      if (known !== value) this.violations.push(`${where}: foreign or unknown key ${key}=${value}`);
      else if (device.pending.delete(key)) device.acked.set(key, value);
    }
    device.signedIn = true;
    device.uncertain = false;
    device.id = me.id;
  }

  #reset(device: Device): void {
    device.signedIn = false;
    device.uncertain = false;
    device.id = null;
    device.acked.clear();
    device.pending.clear();
  }

  async #writeBurst(device: Device): Promise<void> {
    const count = 1 + Math.floor(Math.random() * 3);
    await Promise.all(
      Array.from({ length: count }, async () => {
        const key = `${device.label}.${device.writes++}`;
        const value = randomBytes(6).toString('base64url');
        const reply = await this.#send(device, 'POST', `/write?key=${key}&value=${value}`);
        if (reply === 'unknown') {
          // A failed write never ends a session: only the key's fate is unknown.
          device.pending.set(key, value);
          return;
        }
        device.acked.set(key, value);
        this.ackedWrites++;
      }),
    );
  }

  /** The token the device held, now ended by an acknowledged step: it must never work again. */
  #retire(token: string | null, why: string): void {
    if (token !== null) this.retired.push({ token, why });
  }

  async #renew(device: Device): Promise<void> {
    const before = device.client.token;
    const reply = await this.#send(device, 'POST', '/renew');
    if (reply === 'unknown') {
      device.uncertain = true;
      device.ghosts++;
      return;
    }
    if (device.client.token === before) {
      this.violations.push(`${device.label}: renewToken answered without a new token`);
    }
    this.#retire(before, `renewed by ${device.label}`);
    device.id = null;
  }

  async #signOut(device: Device): Promise<void> {
    const before = device.client.token;
    const reply = await this.#send(device, 'POST', '/sign-out');
    if (reply === 'unknown') {
      device.uncertain = true;
      return;
    }
    if (device.client.token !== null) {
      this.violations.push(`${device.label}: sign-out did not clear the cookie`);
    }
    this.#retire(before, `signed out by ${device.label}`);
    this.#reset(device);
  }

  async #revokeOne(device: Device, devices: Device[]): Promise<void> {
    const others = devices.filter((o) => o !== device && o.signedIn && !o.uncertain && o.id);
    const target = others.length > 0 ? pick(others) : undefined;
    if (!target) return this.#read(device);
    const reply = await this.#send(device, 'POST', `/revoke?id=${target.id}`);
    if (reply === 'unknown') {
      target.uncertain = true;
      return;
    }
    if ((reply.body as { revoked: boolean }).revoked !== true) {
      this.violations.push(`${device.label}: revoking live session of ${target.label} said false`);
    }
    this.#retire(target.client.token, `revoked by ${device.label}`);
    target.signedIn = false;
  }

  async #revokeOthers(device: Device, devices: Device[]): Promise<void> {
    const others = devices.filter((o) => o !== device);
    const reply = await this.#send(device, 'POST', '/revoke-others');
    if (reply === 'unknown') {
      for (const other of others) if (other.signedIn) other.uncertain = true;
      return;
    }
    const count = (reply.body as { count: number }).count;
    const certain = others.filter((o) => o.signedIn && !o.uncertain).length;
    const ghosts = devices.reduce((sum, d) => sum + d.ghosts, 0);
    const possible = others.filter((o) => o.signedIn || o.uncertain).length + ghosts;
    if (count < certain || count > possible) {
      this.violations.push(
        `${device.label}: sign-out-everywhere-else revoked ${count}, expected ${certain}..${possible}`,
      );
    }
    for (const other of others) {
      if (other.signedIn && !other.uncertain) {
        this.#retire(other.client.token, `revoked with the others by ${device.label}`);
      }
      other.signedIn = false;
    }
    for (const each of devices) each.ghosts = 0;
  }

  async #probe(entry: { token: string; why: string }): Promise<void> {
    const client = this.devices[0]?.[0]?.client as CookieClient;
    const reply = this.#classify(
      await client.probe('/me', entry.token),
      'probe of a retired token',
    );
    if (reply === 'unknown') return;
    this.retiredProbes++;
    const me = reply.body as Me;
    if (me.user !== null || Object.keys(me.data).length > 0) {
      this.violations.push(
        `a token ${entry.why} still works: ${me.user} ${JSON.stringify(me.data)}`,
      );
    }
  }
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)] as T;
}
