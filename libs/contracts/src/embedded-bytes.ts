/**
 * Forwarding an event inside another without encoding it again. Protobuf
 * writes a message field as its length-delimited encoding, and parsing
 * concatenated encodings merges them (protobuf.dev, "Encoding": embedded
 * messages; "Last One Wins" and merging), so the bytes a stage received can
 * be placed as the field of the event it publishes, unchanged. The classifier
 * forwards `mail.v1.parsed` this way inside `mail.v1.classified`.
 */
import { toBinary, type Message } from '@bufbuild/protobuf';
import type { GenMessage } from '@bufbuild/protobuf/codegenv2';
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';

/**
 * The encoding of `rest` with its message field `field` set to the message
 * already encoded as `embedded`. `rest` must leave that field unset: a second
 * occurrence would be merged into it, not replace it.
 */
export function encodeWithEmbedded<T extends Message>(schema: GenMessage<T>, field: string, embedded: Uint8Array, rest: T): Uint8Array {
  const desc = schema.fields.find((f) => f.localName === field);
  if (desc?.fieldKind !== 'message') throw new Error(`${schema.typeName} has no message field ${field}`);
  if ((rest as Record<string, unknown>)[field] !== undefined) throw new Error(`${schema.typeName}.${field} is set in rest; leave it unset`);
  const head = new BinaryWriter().tag(desc.number, WireType.LengthDelimited).bytes(embedded).finish();
  const tail = toBinary(schema, rest);
  const out = new Uint8Array(head.length + tail.length);
  out.set(head, 0);
  out.set(tail, head.length);
  return out;
}
