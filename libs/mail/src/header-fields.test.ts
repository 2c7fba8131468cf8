import { describe, expect, it } from 'vitest';
import { firstHeader, headerValues, isHeaderFieldLine, parseFieldGroups, parseHeaderBlock, splitHeaderLine, unfold } from './header-fields';

describe('header fields', () => {
  it('unfolds RFC 5322 folding and lower-cases names', () => {
    expect(unfold('a\r\n b\n\tc')).toBe('a b\tc');
    expect(splitHeaderLine('Subject: hello\r\n world')).toEqual({ name: 'subject', value: 'hello world' });
    expect(splitHeaderLine('no colon here')).toBeUndefined();
    expect(splitHeaderLine('bad name: x')).toBeUndefined();
  });

  it('tells a header line from binary or body text', () => {
    expect(isHeaderFieldLine('Return-Path: <>')).toBe(true);
    expect(isHeaderFieldLine('X-Weird_Name.1: v')).toBe(true);
    expect(isHeaderFieldLine('\u0000\u0001 garbage: x')).toBe(false);
    expect(isHeaderFieldLine('Hello there, this is text')).toBe(false);
    expect(isHeaderFieldLine(': empty name')).toBe(false);
  });

  it('looks headers up case-insensitively, topmost first', () => {
    const h = parseHeaderBlock('Received: one\nReceived: two\nFrom: a@x\n\nBody: not a header');
    expect(headerValues(h, 'RECEIVED')).toEqual(['one', 'two']);
    expect(firstHeader(h, 'from')).toBe('a@x');
    expect(firstHeader(h, 'body')).toBeUndefined();
  });

  it('splits RFC 3464 field groups at blank lines and folds continuation lines', () => {
    const groups = parseFieldGroups('Reporting-MTA: dns; mx\n\nFinal-Recipient: rfc822; a@x\nDiagnostic-Code: smtp; 550\n  user unknown\n\n\nFinal-Recipient: rfc822; b@x\n');
    expect(groups.map((g) => g.map((f) => f.name))).toEqual([['reporting-mta'], ['final-recipient', 'diagnostic-code'], ['final-recipient']]);
    expect(groups[1][1].value).toBe('smtp; 550  user unknown');
  });
});
