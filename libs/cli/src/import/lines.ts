/**
 * Byte-exact lines of a stream, each with its own line ending (LF or CRLF).
 * Mail archives carry 8-bit bodies in any charset, so lines are split on the
 * LF byte and never decoded: a message's bytes come out as they went in.
 */

/** Yields every line of `chunks`, its ending included; a last line without LF is yielded as is. */
export async function* readLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  let partial: Buffer[] = [];
  for await (const chunk of chunks) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    let start = 0;
    for (let lf = buf.indexOf(0x0a, start); lf !== -1; lf = buf.indexOf(0x0a, start)) {
      const piece = buf.subarray(start, lf + 1);
      yield partial.length > 0 ? Buffer.concat([...partial, piece]) : piece;
      partial = [];
      start = lf + 1;
    }
    if (start < buf.length) partial.push(buf.subarray(start));
  }
  if (partial.length > 0) yield Buffer.concat(partial);
}

/** True for a line that holds nothing but its ending. */
export const isBlankLine = (line: Buffer): boolean =>
  line.length === 0 || (line.length === 1 && line[0] === 0x0a) || (line.length === 2 && line[0] === 0x0d && line[1] === 0x0a);
