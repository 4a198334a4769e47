import { describe, expect, it } from 'vitest';
import { PublicEnvError, parsePublicEnv } from './env';
import { parseServerEnv } from './server-env';

describe('parsePublicEnv', () => {
  it('defaults both URLs to the local API', () => {
    expect(parsePublicEnv({})).toEqual({
      NEXT_PUBLIC_API_URL: 'http://localhost:4000/api/v1',
      NEXT_PUBLIC_WS_URL: 'ws://localhost:4000/ws',
    });
  });

  it('treats an empty value as unset', () => {
    expect(parsePublicEnv({ NEXT_PUBLIC_API_URL: '', NEXT_PUBLIC_WS_URL: ' ' })).toEqual(
      parsePublicEnv({}),
    );
  });

  it('keeps valid values', () => {
    expect(
      parsePublicEnv({
        NEXT_PUBLIC_API_URL: 'https://api.example.com/api/v1',
        NEXT_PUBLIC_WS_URL: 'wss://api.example.com/ws',
      }),
    ).toEqual({
      NEXT_PUBLIC_API_URL: 'https://api.example.com/api/v1',
      NEXT_PUBLIC_WS_URL: 'wss://api.example.com/ws',
    });
  });

  it.each(['http://localhost:4000/api/v1/', 'https://api.example.com/'])(
    'refuses the trailing slash in %s',
    (value) => {
      expect(() => parsePublicEnv({ NEXT_PUBLIC_API_URL: value })).toThrow(
        /NEXT_PUBLIC_API_URL: must be a http or https URL with no trailing slash/,
      );
    },
  );

  it.each(['localhost:4000/api/v1', 'ftp://example.com', 'ws://localhost:4000', 'not a url'])(
    'refuses %s as the API URL',
    (value) => {
      expect(() => parsePublicEnv({ NEXT_PUBLIC_API_URL: value })).toThrow(PublicEnvError);
    },
  );

  it('names every invalid variable in one error', () => {
    try {
      parsePublicEnv({
        NEXT_PUBLIC_API_URL: 'nope',
        NEXT_PUBLIC_WS_URL: 'http://localhost:4000/ws',
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PublicEnvError);
      const { problems } = error as PublicEnvError;
      expect(problems).toHaveLength(2);
      expect(problems[0]).toMatch(/^NEXT_PUBLIC_API_URL: .*\(got "nope"\)$/);
      expect(problems[1]).toMatch(/^NEXT_PUBLIC_WS_URL: must be a ws or wss URL/);
    }
  });
});

describe('parseServerEnv', () => {
  it('leaves tracing off by default', () => {
    expect(parseServerEnv({})).toEqual({ OTEL_SERVICE_NAME: 'web', OTEL_TRACES_SAMPLER_ARG: 1 });
  });

  it('refuses an endpoint that is not an http(s) URL, and a ratio outside 0 to 1', () => {
    expect(() =>
      parseServerEnv({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
        OTEL_TRACES_SAMPLER_ARG: '2',
      }),
    ).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT[\s\S]*OTEL_TRACES_SAMPLER_ARG/);
  });
});
