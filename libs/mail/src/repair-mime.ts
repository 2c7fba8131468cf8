/**
 * Repairs one MIME defect that loses a whole body: a `Content-Type:
 * multipart/…;` line whose `boundary=` parameter sits on the next line
 * *unfolded* (no leading white space). Apache James and Verizon's vtext
 * gateway send bounces like that. RFC 5322 §2.2.3 folds only before white
 * space, so the `boundary=` line is no header field at all (it has no colon)
 * and mailparser drops it: the part has no boundary, and its text is lost.
 *
 * The repair folds that line back (a tab in front), which is what the
 * sender meant; a line without a colon can be nothing else. Bytes are read
 * as latin1, so everything else passes through unchanged.
 */

/** `Content-Type: multipart/x;` at a line end, then `boundary=` at the start of the next line. */
const UNFOLDED_BOUNDARY = /^(content-type:[ \t]*multipart\/[^\r\n]*;[ \t]*\r?\n)(boundary[ \t]*=[^\r\n]*)/gim;

export function repairUnfoldedBoundary(raw: Uint8Array): Uint8Array {
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  // Cheap pre-check on the bytes, so only mails with the defect are copied and rewritten.
  if (!buf.includes('\nboundary', 0, 'latin1') && !buf.includes('\nBoundary', 0, 'latin1')) return raw;
  const text = buf.toString('latin1');
  const repaired = text.replace(UNFOLDED_BOUNDARY, (_m, ct: string, boundary: string) => `${ct}\t${boundary}`);
  return repaired === text ? raw : Buffer.from(repaired, 'latin1');
}
