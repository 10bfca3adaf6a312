/**
 * Just enough of PostgreSQL's wire protocol (v3) for the explorer's proxy to see
 * statement boundaries without understanding results: it frames messages, reads the
 * SQL out of Query / Parse / Bind, and the few backend messages that matter (the
 * backend pid, ReadyForQuery with its transaction status, errors). Every byte is
 * forwarded unchanged, but for `application_name` in the startup message (see
 * `withApplicationName`). https://www.postgresql.org/docs/current/protocol-message-formats.html
 */

export const SSL_REQUEST = 80877103;
export const GSSENC_REQUEST = 80877104;
export const CANCEL_REQUEST = 80877102;

export interface Message {
  type: string;
  /** The whole message, type byte and length included. */
  bytes: Buffer;
  /** The body after the length. */
  body: Buffer;
}

/** Splits a stream of typed messages (type byte + int32 length) as chunks arrive. */
export class MessageReader {
  #buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Message[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const messages: Message[] = [];
    let offset = 0;
    while (this.#buffer.length - offset >= 5) {
      const length = this.#buffer.readInt32BE(offset + 1);
      if (this.#buffer.length - offset < length + 1) break;
      const bytes = this.#buffer.subarray(offset, offset + length + 1);
      messages.push({ type: String.fromCharCode(bytes[0] ?? 0), bytes, body: bytes.subarray(5) });
      offset += length + 1;
    }
    this.#buffer = this.#buffer.subarray(offset);
    return messages;
  }

  /** Bytes read but not yet framed (used once, when leaving the untyped startup phase). */
  takeRest(): Buffer {
    const rest = this.#buffer;
    this.#buffer = Buffer.alloc(0);
    return rest;
  }
}

/** The untyped startup-phase packet (int32 length, int32 code, …), if complete. */
export function readStartupPacket(buffer: Buffer): { packet: Buffer; code: number; rest: Buffer } | undefined {
  if (buffer.length < 8) return undefined;
  const length = buffer.readInt32BE(0);
  if (buffer.length < length) return undefined;
  return { packet: buffer.subarray(0, length), code: buffer.readInt32BE(4), rest: buffer.subarray(length) };
}

/**
 * The startup message with `application_name` set to `name` (added, or replacing the
 * client's). The explorer finds a lane's backend by that name in pg_stat_activity: the
 * pid in BackendKeyData is not the backend's behind a pooler (PgBouncer makes up its
 * own), and in transaction mode each transaction may run on another backend, while
 * PgBouncer sets every server connection's `application_name` to its client's.
 */
export function withApplicationName(packet: Buffer, name: string): Buffer {
  const parameters: [string, string][] = [];
  for (let offset = 8; offset < packet.length && packet[offset] !== 0; ) {
    const [key, afterKey] = cString(packet, offset);
    const [value, afterValue] = cString(packet, afterKey);
    if (key !== "application_name") parameters.push([key, value]);
    offset = afterValue;
  }
  parameters.push(["application_name", name]);
  const body = Buffer.from(`${parameters.map(([key, value]) => `${key}\0${value}\0`).join("")}\0`, "utf8");
  const header = Buffer.alloc(8);
  header.writeInt32BE(body.length + 8, 0);
  header.writeInt32BE(packet.readInt32BE(4), 4);
  return Buffer.concat([header, body]);
}

function cString(body: Buffer, offset: number): [string, number] {
  const end = body.indexOf(0, offset);
  return [body.toString("utf8", offset, end), end + 1];
}

export const queryText = (message: Message) => cString(message.body, 0)[0];

export function parseMessage(message: Message): { name: string; sql: string } {
  const [name, next] = cString(message.body, 0);
  return { name, sql: cString(message.body, next)[0] };
}

/** Bind: the statement it binds and its parameters as text (binary ones in hex). */
export function bindMessage(message: Message): { statement: string; params: (string | null)[] } {
  const { body } = message;
  const [, afterPortal] = cString(body, 0);
  const [statement, afterStatement] = cString(body, afterPortal);
  let offset = afterStatement;
  const formatCount = body.readInt16BE(offset);
  offset += 2;
  const formats: number[] = [];
  for (let i = 0; i < formatCount; i++, offset += 2) formats.push(body.readInt16BE(offset));
  const paramCount = body.readInt16BE(offset);
  offset += 2;
  const params: (string | null)[] = [];
  for (let i = 0; i < paramCount; i++) {
    const length = body.readInt32BE(offset);
    offset += 4;
    if (length < 0) {
      params.push(null);
      continue;
    }
    const format = formatCount === 1 ? formats[0] : (formats[i] ?? 0);
    const value = body.subarray(offset, offset + length);
    params.push(format === 1 ? `\\x${value.toString("hex")}` : value.toString("utf8"));
    offset += length;
  }
  return { statement, params };
}

/** ErrorResponse fields: SQLSTATE and the primary message. */
export function errorFields(message: Message): { sqlState: string; message: string } {
  const fields: Record<string, string> = {};
  let offset = 0;
  while (offset < message.body.length && message.body[offset] !== 0) {
    const code = String.fromCharCode(message.body[offset] ?? 0);
    const [value, next] = cString(message.body, offset + 1);
    fields[code] = value;
    offset = next;
  }
  return { sqlState: fields.C ?? "", message: fields.M ?? "" };
}

/** A simple Query message, for the proxy's own statements on a lane's connection. */
export function simpleQuery(sql: string): Buffer {
  const text = Buffer.from(`${sql}\0`, "utf8");
  const header = Buffer.alloc(5);
  header.write("Q", 0, "latin1");
  header.writeInt32BE(text.length + 4, 1);
  return Buffer.concat([header, text]);
}
