import { describe, expect, it } from 'vitest';
import { blockedReason, extensionOf } from './attachment-policy';

describe('attachment policy', () => {
  it.each([
    ['invoice.pdf', 'application/pdf', null],
    ['invoice.pdf.exe', 'application/pdf', 'BLOCKED_TYPE'],
    ['SETUP.EXE', 'application/octet-stream', 'BLOCKED_TYPE'],
    ['run.exe. ', 'application/octet-stream', 'BLOCKED_TYPE'],
    ['script.js', 'text/javascript', 'BLOCKED_TYPE'],
    ['noextension', 'application/x-msdownload', 'BLOCKED_TYPE'],
    ['photo.jpg', 'image/jpeg', null],
    ['notes.txt', 'text/plain; charset=utf-8', null],
  ])('%s (%s) → %s', (filename, contentType, expected) => {
    expect(blockedReason({ filename, contentType })).toBe(expected);
  });

  it('reads the extension Windows acts on', () => {
    expect(extensionOf('a.tar.gz')).toBe('gz');
    expect(extensionOf('.bashrc')).toBe('bashrc');
    expect(extensionOf('README')).toBe('');
  });
});
