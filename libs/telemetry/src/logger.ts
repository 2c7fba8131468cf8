/**
 * Structured JSON logs (pino) for every service. Secrets never reach a log
 * line: the redact paths below censor the usual secret field names at the top
 * level and one level down, which is as deep as pino's redact paths can name
 * without listing every parent key.
 */
import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';

export type Logger = PinoLogger;

const SECRET_KEYS = [
  'password',
  'pass',
  'secret',
  'token',
  'accessToken',
  'refreshToken',
  'credentials',
  'authorization',
  'ENCRYPTION_KEY',
  'ENCRYPTION_PREVIOUS_KEYS',
  'S3_SECRET_KEY',
];

/** Redact paths: `password` and `*.password` for every secret key. */
export const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`]);

export interface LoggerOptions {
  service: string;
  level?: string;
  /** Where to write; stdout by default. Tests pass a stream to read the output. */
  destination?: DestinationStream;
}

/** A pino logger that writes JSON to stdout, tagged with the service name. */
export function createLogger(opts: LoggerOptions): Logger {
  return pino(
    {
      level: opts.level ?? 'info',
      base: { service: opts.service },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    opts.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
