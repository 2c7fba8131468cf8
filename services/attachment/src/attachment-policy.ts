/**
 * Which attachments are held back from agents. Executables and scripts are
 * how mail-borne malware reaches a helpdesk (an agent double-clicks
 * "invoice.pdf.exe"), so they are recorded with a blocked reason and their
 * bytes stay in the blob store, but no download URL is served for them.
 * Nothing is dropped: an operator can still inspect the blob.
 */

/** Windows and script extensions that run when opened (Outlook's Level 1 list, abridged), plus disk images used to smuggle them. */
const BLOCKED_EXTENSIONS = new Set([
  'exe', 'com', 'bat', 'cmd', 'scr', 'pif', 'cpl', 'msi', 'msp', 'mst', 'dll', 'sys', 'drv', 'ocx',
  'vbs', 'vbe', 'js', 'jse', 'wsf', 'wsh', 'wsc', 'ws', 'ps1', 'ps1xml', 'psc1', 'psm1', 'hta', 'jar',
  'lnk', 'reg', 'scf', 'inf', 'application', 'gadget', 'msc', 'appx', 'appxbundle', 'msix', 'iso', 'img', 'vhd', 'vhdx',
]);

const BLOCKED_TYPES = new Set([
  'application/x-msdownload', 'application/x-msdos-program', 'application/x-dosexec', 'application/x-ms-installer',
  'application/x-msi', 'application/vnd.microsoft.portable-executable', 'application/hta', 'application/x-sh',
]);

export const BLOCKED_TYPE = 'BLOCKED_TYPE';

/** The extension Windows would act on: after the last dot, ignoring trailing dots and spaces ("a.exe. "). */
export function extensionOf(filename: string): string {
  const trimmed = filename.trim().replace(/[.\s]+$/, '');
  const dot = trimmed.lastIndexOf('.');
  return dot < 0 ? '' : trimmed.slice(dot + 1).toLowerCase();
}

/** The blocked reason for an attachment, or null when agents may download it. */
export function blockedReason(att: { filename: string; contentType: string }): string | null {
  if (BLOCKED_EXTENSIONS.has(extensionOf(att.filename))) return BLOCKED_TYPE;
  if (BLOCKED_TYPES.has(att.contentType.split(';')[0].trim().toLowerCase())) return BLOCKED_TYPE;
  return null;
}
