import { describe, expect, it } from 'vitest';
import { compareVersions, isSupportedServer } from './server-version';

describe('compareVersions', () => {
  it.each([
    ['2.9.0', '2.9.0', 0],
    ['2.9.10', '2.9.9', 1],
    ['2.10.0', '2.9.25', 1],
    ['2.8.4', '2.9.0', -1],
    ['3.0.0', '2.99.99', 1],
    ['2.9.0-beta.1', '2.9.0', -1],
    ['2.9.0-beta.2', '2.9.0-beta.10', -1],
    ['2.9.0-alpha', '2.9.0-beta', -1],
    ['2.9.0-rc.1', '2.9.0-rc', 1],
    ['v2.9.0', '2.9.0', 0],
    ['2.9', '2.9.0', 0],
    ['2.9.0+build.5', '2.9.0', 0],
  ])('%s vs %s → %i', (a, b, want) => {
    expect(Math.sign(compareVersions(a, b))).toBe(want);
    expect(Math.sign(compareVersions(b, a))).toBe(-want || 0);
  });

  it('accepts 2.9.0 and newer only', () => {
    expect(isSupportedServer('2.9.10')).toBe(true);
    expect(isSupportedServer('2.11.4')).toBe(true);
    expect(isSupportedServer('2.8.4')).toBe(false);
    expect(isSupportedServer('2.9.0-RC.1')).toBe(false);
    expect(isSupportedServer('')).toBe(false);
  });
});
