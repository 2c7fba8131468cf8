import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseSchema, blobSchema, encryptionSchema, withBlobRules } from './base-schema';
import { ConfigError } from './config-error';
import { loadConfig } from './load-config';

const KEY = randomBytes(32).toString('base64');
const serviceSchema = baseSchema.extend({ ...encryptionSchema.shape, FETCH_TIMEOUT_MS: z.coerce.number().int().default(30_000) });

const problems = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('applies defaults and returns a frozen, typed object', () => {
    const cfg = loadConfig(serviceSchema, { ENCRYPTION_KEY: KEY, HEALTH_PORT: '9103', LOG_LEVEL: '' });
    expect(cfg).toMatchObject({
      NATS_URL: 'nats://127.0.0.1:4222',
      NATS_NAMESPACE: '',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postroom',
      LOG_LEVEL: 'info',
      HEALTH_HOST: '0.0.0.0',
      HEALTH_PORT: 9103,
      STAGE_CONCURRENCY: 16,
      FETCH_TIMEOUT_MS: 30_000,
    });
    expect(cfg.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(Object.isFrozen(cfg)).toBe(true);
    expect(() => {
      (cfg as { LOG_LEVEL: string }).LOG_LEVEL = 'debug';
    }).toThrow(TypeError);
  });

  it('takes the standard OTel sampler variables, every email traced by default', () => {
    expect(loadConfig(baseSchema, {})).toMatchObject({ OTEL_TRACES_SAMPLER: 'parentbased_always_on', OTEL_TRACES_SAMPLER_ARG: 1 });
    const sampled = loadConfig(baseSchema, { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.05' });
    expect(sampled).toMatchObject({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: 0.05 });
    const issues = problems(() => loadConfig(baseSchema, { OTEL_TRACES_SAMPLER: 'sometimes', OTEL_TRACES_SAMPLER_ARG: '1.5' }));
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatch(/^OTEL_TRACES_SAMPLER: must be one of parentbased_always_on, .*traceidratio$/);
    expect(issues[1]).toMatch(/^OTEL_TRACES_SAMPLER_ARG: /);
  });

  it('reports every problem at once, one line per setting, naming it', () => {
    const issues = problems(() =>
      loadConfig(serviceSchema, {
        NATS_URL: 'http://example',
        LOG_LEVEL: 'loud',
        HEALTH_PORT: 'ninety',
        STAGE_CONCURRENCY: '0',
        NATS_NAMESPACE: 'has space',
      }),
    );
    expect(issues).toHaveLength(6);
    expect(issues).toContain('ENCRYPTION_KEY: required (32 random bytes, base64)');
    expect(issues).toContain('NATS_URL: must be a nats:// URL');
    for (const name of ['LOG_LEVEL', 'HEALTH_PORT', 'STAGE_CONCURRENCY', 'NATS_NAMESPACE']) {
      expect(issues.filter((line) => line.startsWith(`${name}: `))).toHaveLength(1);
    }
    expect(issues.every((line) => !line.includes('\n'))).toBe(true);
  });

  it('puts every issue in the error message, one per line', () => {
    const err = (() => {
      try {
        loadConfig(serviceSchema, { ENCRYPTION_KEY: 'c2hvcnQ=', DATABASE_URL: 'mysql://x' });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.message.split('\n').sort()).toEqual([
      'DATABASE_URL: must be a postgres:// URL',
      'ENCRYPTION_KEY: must be 32 random bytes, base64 (openssl rand -base64 32)',
    ]);
  });

  it('reads KEY_FILE into KEY, and a set KEY wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'postroom-config-'));
    writeFileSync(join(dir, 'key'), `${KEY}\n`);
    const fromFile = loadConfig(serviceSchema, { ENCRYPTION_KEY_FILE: join(dir, 'key') });
    expect(fromFile.ENCRYPTION_KEY).toBe(KEY);
    const other = randomBytes(32).toString('base64');
    expect(loadConfig(serviceSchema, { ENCRYPTION_KEY: other, ENCRYPTION_KEY_FILE: join(dir, 'key') }).ENCRYPTION_KEY).toBe(other);
  });

  it("ignores other programs' *_FILE variables", () => {
    const config = loadConfig(serviceSchema, { ENCRYPTION_KEY: KEY, TF_CLI_CONFIG_FILE: '/nonexistent/terraformrc' });
    expect(config.ENCRYPTION_KEY).toBe(KEY);
  });

  it('names an unreadable KEY_FILE alongside the other problems', () => {
    const issues = problems(() => loadConfig(serviceSchema, { ENCRYPTION_KEY_FILE: '/nonexistent/key', LOG_LEVEL: 'x' }));
    expect(issues[0]).toBe('ENCRYPTION_KEY: cannot read ENCRYPTION_KEY_FILE /nonexistent/key (ENOENT)');
    expect(issues.some((line) => line.startsWith('LOG_LEVEL: '))).toBe(true);
  });

  it('parses previous keys for rotation and rejects a bad one', () => {
    const old = randomBytes(32).toString('base64');
    const cfg = loadConfig(serviceSchema, { ENCRYPTION_KEY: KEY, ENCRYPTION_PREVIOUS_KEYS: ` ${old}, ` });
    expect(cfg.ENCRYPTION_PREVIOUS_KEYS).toEqual([old]);
    expect(problems(() => loadConfig(serviceSchema, { ENCRYPTION_KEY: KEY, ENCRYPTION_PREVIOUS_KEYS: `${old},nope` }))).toEqual([
      'ENCRYPTION_PREVIOUS_KEYS: each key must be 32 random bytes, base64',
    ]);
  });
});

describe('blob settings', () => {
  it('default to the embedded NATS backend', () => {
    expect(loadConfig(blobSchema, {})).toMatchObject({ BLOB_BACKEND: 'nats', S3_USE_SSL: true, S3_REGION: 'us-east-1' });
  });

  it('require the S3 settings when BLOB_BACKEND=s3, even in a composed schema', () => {
    const composed = withBlobRules(baseSchema.extend({ ...encryptionSchema.shape, ...blobSchema.shape }));
    const issues = problems(() => loadConfig(composed, { BLOB_BACKEND: 's3', S3_BUCKET: 'mail', S3_USE_SSL: 'maybe' }));
    expect(issues.sort()).toEqual([
      'ENCRYPTION_KEY: required (32 random bytes, base64)',
      'S3_ACCESS_KEY: required when BLOB_BACKEND=s3',
      'S3_ENDPOINT: required when BLOB_BACKEND=s3',
      'S3_SECRET_KEY: required when BLOB_BACKEND=s3',
      'S3_USE_SSL: must be true or false',
    ]);
    const ok = loadConfig(blobSchema, {
      BLOB_BACKEND: 's3', S3_ENDPOINT: '127.0.0.1', S3_PORT: '4569', S3_USE_SSL: 'false', S3_ACCESS_KEY: 'a', S3_SECRET_KEY: 'b', S3_BUCKET: 'mail',
    });
    expect(ok).toMatchObject({ S3_PORT: 4569, S3_USE_SSL: false });
  });
});
