/**
 * The classifier as a library, for tools that classify without the pipeline
 * (tests, the evaluation, services that want a verdict offline).
 */
export { classifyMail, MAX_BODY_CHARS } from './classify-mail';
export { classifyFile, classifyRaw, emlFiles, kindName, readMail, toResult } from './classify-file';
export type { ClassifyResult } from './classify-file';
export { createRules, RULES } from './rules/index';
export type { RuleOptions } from './rules/index';
export { stripUntrustedHeaders, UNTRUSTED_HEADER_PREFIXES } from './strip-untrusted-headers';
export type { MailText, Rule } from './verdict';
