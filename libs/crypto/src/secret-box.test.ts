import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, keyIdOf } from './secret-box';

const newKey = () => randomBytes(32).toString('base64');

describe('createSecretBox', () => {
  it('round-trips text, including unicode, with a fresh IV each time', () => {
    const box = createSecretBox({ key: newKey() });
    const secret = JSON.stringify({ imap: { user: 'ann', password: 'pässwörd 🔑' } });
    const a = box.seal(secret);
    const b = box.seal(secret);
    expect(a).not.toBe(b);
    expect(a).not.toContain('pässwörd');
    expect(box.open(a)).toBe(secret);
    expect(box.open(b)).toBe(secret);
  });

  it('uses the documented format with the key id', () => {
    const key = newKey();
    const sealed = createSecretBox({ key }).seal('x');
    const parts = sealed.split('.');
    expect(parts).toHaveLength(5);
    expect(parts[0]).toBe('v1');
    expect(parts[1]).toBe(keyIdOf(key));
    expect(parts[1]).toMatch(/^[0-9a-f]{8}$/);
    expect(Buffer.from(parts[2], 'base64url')).toHaveLength(12);
    expect(Buffer.from(parts[4], 'base64url')).toHaveLength(16);
  });

  it('rejects a tampered ciphertext, IV or tag', () => {
    const box = createSecretBox({ key: newKey() });
    const parts = box.seal('the password').split('.');
    for (const index of [2, 3, 4]) {
      const bytes = Buffer.from(parts[index], 'base64url');
      bytes[0] ^= 0x01;
      const tampered = parts.map((p, i) => (i === index ? bytes.toString('base64url') : p)).join('.');
      expect(() => box.open(tampered)).toThrow(/failed authentication|malformed/);
    }
  });

  it('names the unknown key id when opened with the wrong key', () => {
    const sealer = createSecretBox({ key: newKey() });
    const sealed = sealer.seal('secret');
    const other = createSecretBox({ key: newKey() });
    const keyId = sealed.split('.')[1];
    expect(() => other.open(sealed)).toThrow(new RegExp(`key ${keyId}`));
  });

  it('rejects a value that is not in the sealed format', () => {
    const box = createSecretBox({ key: newKey() });
    expect(() => box.open('plain text password')).toThrow(/format/);
  });

  it('rejects a key that is not 32 bytes', () => {
    expect(() => createSecretBox({ key: randomBytes(16).toString('base64') })).toThrow(/32 bytes/);
  });

  it('opens values sealed with a previous key and flags them for rotation', () => {
    const oldKey = newKey();
    const oldSealed = createSecretBox({ key: oldKey }).seal('old secret');
    const rotated = createSecretBox({ key: newKey(), previousKeys: [oldKey] });
    expect(rotated.open(oldSealed)).toBe('old secret');
    expect(rotated.needsRotation(oldSealed)).toBe(true);
    const resealed = rotated.seal(rotated.open(oldSealed));
    expect(rotated.needsRotation(resealed)).toBe(false);
    expect(resealed.split('.')[1]).not.toBe(keyIdOf(oldKey));
  });

  it('cannot open a previous-key value once that key is dropped', () => {
    const oldKey = newKey();
    const oldSealed = createSecretBox({ key: oldKey }).seal('old secret');
    expect(() => createSecretBox({ key: newKey() }).open(oldSealed)).toThrow(new RegExp(keyIdOf(oldKey)));
  });
});
