/** The parser's settings: the shared base, the blob store, and its size limit. */
import { baseSchema, blobSchema, loadConfig, withBlobRules, z } from '@postroom/config';
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from '@postroom/mail';

export const parserSchema = withBlobRules(
  baseSchema.extend({
    ...blobSchema.shape,
    HEALTH_PORT: baseSchema.shape.HEALTH_PORT.unwrap().default(9103),
    /** Raw mails larger than this are dead-lettered as OVER_LIMIT (default 50 MiB). */
    PARSER_MAX_MAIL_BYTES: z.coerce
      .number({ error: 'must be a number of bytes' })
      .int()
      .min(1024)
      .default(DEFAULT_PARSE_LIMITS.maxBytes),
  }),
);

export type ParserConfig = z.infer<typeof parserSchema>;

export const loadParserConfig = (env: NodeJS.ProcessEnv): Readonly<ParserConfig> => loadConfig(parserSchema, env);

export const limitsOf = (c: ParserConfig): Partial<ParseLimits> => ({ maxBytes: c.PARSER_MAX_MAIL_BYTES });
