/**
 * The few Redis commands the store sends, over whichever client the application uses. Keys and
 * script layout live in the store; an adapter only translates calls and replies, so both clients
 * run the very same scripts on the very same keys. Bulk-string replies are Buffers (session
 * values are binary), integers are numbers, nil is null.
 */
export interface ClientAdapter {
  /** 'ioredis' or 'node-redis', for messages. */
  readonly kind: string;
  get(key: string): Promise<Buffer | null>;
  /** SET key value PXAT at NX: whether the key was written. */
  setNx(key: string, value: Buffer, pxat: number): Promise<boolean>;
  /** EVALSHA with one key; rejects with the server's NOSCRIPT error when the node lacks it. */
  evalsha(sha: string, key: string, args: ReadonlyArray<string | Buffer>): Promise<unknown>;
  /** EVAL with one key (which also caches the script on that node). */
  eval(lua: string, key: string, args: ReadonlyArray<string | Buffer>): Promise<unknown>;
  zrem(key: string, members: readonly string[]): Promise<void>;
  /** ZSCORE: null when the member is not there. */
  zscore(key: string, member: string): Promise<string | null>;
  /** Every node holding a share of the keyspace: the one server, or every cluster master. */
  masters(): Promise<ScanNode[]>;
  /**
   * Why calls would only wait for a connection that is not there (the client is between
   * reconnect attempts, or closed), or undefined when calls can be sent or queued normally.
   */
  unavailable(): string | undefined;
  /** Closes a client the store created (QUIT, or a hard disconnect when there is no connection). */
  close(): Promise<void>;
}

/** One server to SCAN. */
export interface ScanNode {
  /** SCAN cursor MATCH pattern COUNT count: the next cursor ('0' at the end) and key names. */
  scan(cursor: string, pattern: string, count: number): Promise<[string, string[]]>;
}
