/** One message of an archive being imported: where it came from, and its raw RFC 5322 bytes on demand. */
export interface SourceMail {
  /** For progress and failure reports: `message 3 (line 120)`, `cur/1700000000.M1P2.host:2,S`, `2024/a.eml`. */
  label: string;
  /** The raw bytes; files are read only when the importer gets to them. */
  read(): Promise<Uint8Array>;
}
