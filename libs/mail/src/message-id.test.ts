import { describe, expect, it } from 'vitest';
import { bracketMessageId, generatedMessageId, normalizeMessageId, parseMessageIds } from './message-id';

describe('message ids', () => {
  it.each([
    ['<abc@x.example>', 'abc@x.example'],
    ['  <abc@x.example> (comment)', 'abc@x.example'],
    ['abc@x.example', 'abc@x.example'],
    ['(only a comment)', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('normalizes %j to %j', (input, expected) => {
    expect(normalizeMessageId(input)).toBe(expected);
  });

  it('lists every id of References in order, once, without brackets', () => {
    expect(parseMessageIds('<a@x>\r\n <b@x> <a@x>\t<c@y>')).toEqual(['a@x', 'b@x', 'c@y']);
    expect(parseMessageIds('a@x, b@x')).toEqual(['a@x', 'b@x']);
    expect(parseMessageIds('garbage without ids')).toEqual([]);
  });

  it('generates the same id for the same bytes and another for other bytes', () => {
    const a = generatedMessageId(new TextEncoder().encode('x'));
    expect(a).toMatch(/^[0-9a-f]{32}@postroom\.invalid$/);
    expect(generatedMessageId(new TextEncoder().encode('x'))).toBe(a);
    expect(generatedMessageId(new TextEncoder().encode('y'))).not.toBe(a);
  });

  it('brackets an id once', () => {
    expect(bracketMessageId('a@x')).toBe('<a@x>');
    expect(bracketMessageId('<a@x>')).toBe('<a@x>');
  });
});
