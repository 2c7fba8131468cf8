export * from './dovecot';
export * from './pipeline';
export * from './imap';
export * from './smtp-sink';
export * from './otlp-collector';
export * from './wait-for';
export * from './test-env';
export * from './rspamd';
