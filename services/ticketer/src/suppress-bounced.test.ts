import { describe, expect, it } from 'vitest';
import { BounceReportSchema, create } from '@postroom/contracts';
import { bouncedRecipients } from './suppress-bounced';

const report = (over: { recipients?: string[]; permanent?: boolean }) =>
  create(BounceReportSchema, { recipients: [], status: '5.1.1', permanent: true, ...over });
const outbound = (to: string[], cc: string[] = []) => ({
  to: to.map((address) => ({ name: '', address })),
  cc: cc.map((address) => ({ name: '', address })),
});

describe('bouncedRecipients', () => {
  it('suppresses only addresses our message went to', () => {
    const sent = outbound(['Ann@One.test'], ['bob@two.test']);
    expect(bouncedRecipients(report({ recipients: ['<ann@one.test>', 'victim@else.test'] }), sent)).toEqual(['ann@one.test']);
    expect(bouncedRecipients(report({ recipients: ['victim@else.test'] }), sent)).toEqual([]);
  });

  it('never suppresses on a transient failure', () => {
    expect(bouncedRecipients(report({ recipients: ['ann@one.test'], permanent: false }), outbound(['ann@one.test']))).toEqual([]);
    expect(bouncedRecipients(undefined, outbound(['ann@one.test']))).toEqual([]);
  });

  it('takes the only recipient when the report names none, and nobody when there were several', () => {
    expect(bouncedRecipients(report({}), outbound(['ann@one.test']))).toEqual(['ann@one.test']);
    expect(bouncedRecipients(report({}), outbound(['ann@one.test'], ['bob@two.test']))).toEqual([]);
  });
});
