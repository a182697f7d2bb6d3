import { parse, stringify } from 'devalue';
import { CorruptDataError } from './errors.js';

/** What a codec turns into bytes: the session values plus what the manager keeps beside them. */
export interface SessionEnvelope {
  /** Absolute deadline (epoch ms), fixed when the session is created. */
  deadline: number;
  /** The application's values. */
  values: Record<string, unknown>;
  /** Whether the cookie outlives the browser session (rememberMe / persist). */
  persist?: boolean | undefined;
  /** Details recorded for "your devices" pages and binding. */
  client?: { userAgent?: string; ip?: string } | undefined;
}

/**
 * Encodes envelopes to bytes and back. `decode` must throw CorruptDataError (or any error:
 * the manager wraps it) on bytes it did not produce; it must never return garbage.
 */
export interface Codec {
  readonly name: string;
  encode(envelope: SessionEnvelope): Uint8Array;
  decode(bytes: Uint8Array): SessionEnvelope;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function asEnvelope(value: unknown, codec: string): SessionEnvelope {
  if (typeof value !== 'object' || value === null) {
    throw new CorruptDataError(`${codec}: not a session envelope`);
  }
  const { deadline, values, persist, client } = value as Record<string, unknown>;
  if (typeof deadline !== 'number' || !Number.isFinite(deadline)) {
    throw new CorruptDataError(`${codec}: missing deadline`);
  }
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new CorruptDataError(`${codec}: missing values`);
  }
  if (persist !== undefined && typeof persist !== 'boolean') {
    throw new CorruptDataError(`${codec}: bad persist flag`);
  }
  return {
    deadline,
    values: values as Record<string, unknown>,
    persist,
    client: client as SessionEnvelope['client'],
  };
}

/**
 * Builds a codec whose bytes are `<prefix>` + UTF-8 text. The prefix names the format and its
 * version, so a future format can read old sessions and unknown bytes are refused at once.
 */
function textCodec(
  name: string,
  prefix: string,
  toText: (value: SessionEnvelope) => string,
  fromText: (text: string) => unknown,
): Codec {
  return {
    name,
    encode(envelope) {
      return encoder.encode(prefix + toText(envelope));
    },
    decode(bytes) {
      let text: string;
      try {
        text = decoder.decode(bytes);
      } catch (error) {
        throw new CorruptDataError(`${name}: not UTF-8`, { cause: error });
      }
      if (!text.startsWith(prefix)) {
        throw new CorruptDataError(`${name}: unknown format or version`);
      }
      let value: unknown;
      try {
        value = fromText(text.slice(prefix.length));
      } catch (error) {
        throw new CorruptDataError(`${name}: unreadable data`, { cause: error });
      }
      return asEnvelope(value, name);
    },
  };
}

/**
 * The default codec. Keeps Date, BigInt, Uint8Array and other typed arrays, Map, Set, RegExp,
 * undefined, NaN/Infinity, repeated and cyclic references intact (devalue's format, which
 * parses without eval). Readable by any devalue implementation.
 */
export const devalueCodec: Codec = textCodec('devalue', 'hp1:', stringify, parse);

/**
 * Plain JSON, for sessions that other languages read or write. Values must be JSON-safe:
 * a Date comes back as its ISO string, and BigInt, Map and Set are refused by JSON.stringify.
 */
export const jsonCodec: Codec = textCodec('json', 'hpj1:', JSON.stringify, JSON.parse);
