/**
 * MongoDB wire-protocol framing: message headers, OP_MSG and the legacy OP_QUERY/OP_REPLY
 * pair. The official driver sends its first handshake (`isMaster`) as OP_QUERY and switches to
 * OP_MSG once the reply announces a wire version >= 6, so both directions are needed.
 */
import { type Document, deserialize, serialize } from 'bson';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

const HEADER_BYTES = 16;
const CHECKSUM_PRESENT = 1 << 0;
export const MORE_TO_COME = 1 << 1;

/** One decoded request: the command document plus what is needed to answer it. */
export interface WireRequest {
  requestId: number;
  opCode: typeof OP_MSG | typeof OP_QUERY;
  /** OP_MSG flag bits; 0 for OP_QUERY. */
  flags: number;
  /** The command, with kind-1 document sequences folded in under their identifiers. */
  command: Document;
  /** Database the command runs against (`$db` for OP_MSG, the namespace for OP_QUERY). */
  database: string;
}

export class WireFormatError extends Error {}

/**
 * Splits a byte stream into whole messages. TCP delivers arbitrary chunks, so bytes are
 * buffered until a complete length-prefixed message is present.
 */
export class MessageSplitter {
  #pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const messages: Buffer[] = [];
    while (this.#pending.length >= 4) {
      const length = this.#pending.readInt32LE(0);
      if (length < HEADER_BYTES || length > 64 * 1024 * 1024) {
        throw new WireFormatError(`invalid message length ${length}`);
      }
      if (this.#pending.length < length) break;
      messages.push(this.#pending.subarray(0, length));
      this.#pending = this.#pending.subarray(length);
    }
    return messages;
  }
}

export function decodeRequest(message: Buffer): WireRequest {
  const requestId = message.readInt32LE(4);
  const opCode = message.readInt32LE(12);
  if (opCode === OP_MSG) return decodeOpMsg(message, requestId);
  if (opCode === OP_QUERY) return decodeOpQuery(message, requestId);
  throw new WireFormatError(
    opCode === OP_COMPRESSED
      ? 'compression was not negotiated'
      : `unsupported opCode ${opCode} (only OP_MSG and OP_QUERY)`,
  );
}

function decodeOpMsg(message: Buffer, requestId: number): WireRequest {
  const flags = message.readUInt32LE(HEADER_BYTES);
  const end = flags & CHECKSUM_PRESENT ? message.length - 4 : message.length;
  let offset = HEADER_BYTES + 4;
  let body: Document | undefined;
  const sequences: Record<string, Document[]> = {};
  while (offset < end) {
    const kind = message.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      const size = message.readInt32LE(offset);
      body = deserialize(message.subarray(offset, offset + size));
      offset += size;
    } else if (kind === 1) {
      const size = message.readInt32LE(offset);
      const sectionEnd = offset + size;
      const nameEnd = message.indexOf(0, offset + 4);
      const identifier = message.toString('utf8', offset + 4, nameEnd);
      let position = nameEnd + 1;
      const documents: Document[] = [];
      while (position < sectionEnd) {
        const docSize = message.readInt32LE(position);
        documents.push(deserialize(message.subarray(position, position + docSize)));
        position += docSize;
      }
      sequences[identifier] = documents;
      offset = sectionEnd;
    } else {
      throw new WireFormatError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new WireFormatError('OP_MSG without a body section');
  const command = { ...body, ...sequences };
  const database = typeof body.$db === 'string' ? body.$db : 'admin';
  return { requestId, opCode: OP_MSG, flags, command, database };
}

function decodeOpQuery(message: Buffer, requestId: number): WireRequest {
  let offset = HEADER_BYTES + 4;
  const nameEnd = message.indexOf(0, offset);
  const namespace = message.toString('utf8', offset, nameEnd);
  offset = nameEnd + 1 + 8; // numberToSkip and numberToReturn: meaningless for commands
  const size = message.readInt32LE(offset);
  let command = deserialize(message.subarray(offset, offset + size));
  // Legacy drivers wrap a command that carries a read preference as { $query: {...} }.
  if (command.$query && typeof command.$query === 'object') command = command.$query;
  const database = namespace.slice(0, namespace.indexOf('.'));
  return { requestId, opCode: OP_QUERY, flags: 0, command, database };
}

let nextResponseId = 1;

function header(length: number, responseTo: number, opCode: number): Buffer {
  const buffer = Buffer.alloc(HEADER_BYTES);
  buffer.writeInt32LE(length, 0);
  buffer.writeInt32LE(nextResponseId++ & 0x7fffffff, 4);
  buffer.writeInt32LE(responseTo, 8);
  buffer.writeInt32LE(opCode, 12);
  return buffer;
}

/** Answers in the same dialect the request used. */
export function encodeReply(request: WireRequest, reply: Document): Buffer {
  const body = serialize(reply);
  if (request.opCode === OP_MSG) {
    const length = HEADER_BYTES + 4 + 1 + body.length;
    const prefix = Buffer.alloc(5); // flagBits 0, section kind 0
    return Buffer.concat([header(length, request.requestId, OP_MSG), prefix, body]);
  }
  // OP_REPLY: responseFlags, cursorID (int64), startingFrom, numberReturned, then documents.
  const fields = Buffer.alloc(20);
  fields.writeInt32LE(1, 16);
  const length = HEADER_BYTES + fields.length + body.length;
  return Buffer.concat([header(length, request.requestId, OP_REPLY), fields, body]);
}
