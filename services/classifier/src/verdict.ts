/**
 * Building blocks of a verdict: the kind, how sure the rule is, the evidence
 * (rule, detail, source header or part), and for delivery reports what they
 * say about the original message.
 */
import {
  BounceReportSchema,
  MailKind,
  ReasonSchema,
  VerdictSchema,
  create,
  type BounceReport,
  type MailParsed,
  type Reason,
  type Verdict,
} from '@postroom/contracts';

/** The body text a rule may read (the MailBody document), capped by the caller. */
export interface MailText {
  text: string;
}

/**
 * A rule: evidence → verdict, or undefined when it has none. Pure: the same
 * mail always gets the same answer, so redelivery classifies identically.
 */
export type Rule = (msg: MailParsed, body: MailText) => Verdict | undefined;

export function reason(rule: string, detail: string, source = ''): Reason {
  return create(ReasonSchema, { rule, detail: detail.replace(/\s+/g, ' ').trim().slice(0, 500), source });
}

export interface BounceFacts {
  recipients: string[];
  status: string;
  permanent: boolean;
  diagnostic: string;
  originalMessageId: string;
  reportingMta?: string;
}

export function bounceReport(f: BounceFacts): BounceReport {
  return create(BounceReportSchema, {
    recipients: [...new Set(f.recipients)],
    status: f.status,
    permanent: f.permanent,
    diagnostic: f.diagnostic.slice(0, 1000),
    originalMessageId: f.originalMessageId,
    reportingMta: f.reportingMta ?? '',
  });
}

export function verdict(kind: MailKind, confidence: number, reasons: Reason[], bounce?: BounceReport): Verdict {
  return create(VerdictSchema, { kind, confidence, reasons, bounce });
}

/** The default: a person wrote this, until a rule finds evidence otherwise. */
export function normalVerdict(): Verdict {
  return verdict(MailKind.NORMAL, 1, [reason('default', 'no rule found evidence of automated, bounced or spam mail')]);
}

export { MailKind };
