/**
 * The session with its bytes as a plain Uint8Array. Stores may hand out a Buffer (a Uint8Array
 * subclass, as the memory store does), which `toEqual` tells apart from equal plain bytes.
 */
export function plainBytes<T extends { data: Uint8Array }>(session: T | null | undefined) {
  return session && { ...session, data: new Uint8Array(session.data) };
}
