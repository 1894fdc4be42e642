import { describe, expect, it } from 'vitest';
import {
  parseResetHeader,
  parseRetryAfter,
  platformErrorFromNetwork,
  platformErrorFromResponse,
  toJobError,
} from '../../electron/platforms/errors';
import { CAPABILITIES, withinSchedulingWindow } from '../../electron/platforms/capabilities';
import { expiresAtFrom, hasPublishMarker, joinUrl, loopbackRedirectUri, publishMarker, replyWindowOpen } from '../../electron/platforms/connector';
import { JobError } from '../../electron/scheduler/definitions';

const NOW = Date.UTC(2026, 10, 23, 20, 0, 0);

describe('platform error mapping', () => {
  it('given a Retry-After in seconds or as an HTTP date, then it becomes ms from now', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 20:01:30 GMT', NOW)).toBe(90_000);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
  });

  it('given reset headers as epoch seconds, delay seconds or ISO time, then each is read in its unit', () => {
    expect(parseResetHeader(String(NOW / 1000 + 600), NOW)).toBe(600_000);
    expect(parseResetHeader('30', NOW)).toBe(30_000);
    expect(parseResetHeader('2026-11-23T20:05:00.000Z', NOW)).toBe(300_000);
  });

  it('given a Bluesky ExpiredToken body on 400, then auth, not retryable, no effect', () => {
    const e = platformErrorFromResponse('bluesky', {
      status: 400,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"error":"ExpiredToken","message":"Token has expired"}',
      now: NOW,
    });
    expect(e.category).toBe('auth');
    expect(e.code).toBe('ExpiredToken');
    expect(e.effect).toBe('none');
    expect(e.message).toContain('Token has expired');
    const job = toJobError(e);
    expect(job).toBeInstanceOf(JobError);
    expect(job.retryable).toBe(false);
  });

  it('given a Bluesky 429 with ratelimit-reset epoch seconds, then rate_limit waiting until the reset', () => {
    const e = platformErrorFromResponse('bluesky', {
      status: 429,
      method: 'POST',
      headers: { 'RateLimit-Limit': '30', 'RateLimit-Remaining': '0', 'RateLimit-Reset': String(NOW / 1000 + 300), 'RateLimit-Policy': '30;w=300' },
      body: '{"error":"RateLimitExceeded","message":"Rate Limit Exceeded"}',
      now: NOW,
    });
    expect(e.category).toBe('rate_limit');
    expect(e.retryAfterMs).toBe(300_000);
    const job = toJobError(e);
    expect(job.retryable).toBe(true);
    expect(job.retryAfterMs).toBe(300_000);
    expect(job.effect).toBe('none');
  });

  it('given an X 429 with x-rate-limit-reset in a fetch Headers object, then rate_limit with that wait', () => {
    const headers = new Headers({ 'x-rate-limit-limit': '200', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(NOW / 1000 + 840) });
    const e = platformErrorFromResponse('x', {
      status: 429,
      method: 'POST',
      headers,
      body: '{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}',
      now: NOW,
    });
    expect(e.category).toBe('rate_limit');
    expect(e.retryAfterMs).toBe(840_000);
  });

  it('given an X duplicate-content 403, then validation (not auth) and not retried', () => {
    const e = platformErrorFromResponse('x', {
      status: 403,
      method: 'POST',
      headers: {},
      body: '{"detail":"You are not allowed to create a Tweet with duplicate content.","type":"about:blank","title":"Forbidden","status":403}',
      now: NOW,
    });
    expect(e.category).toBe('validation');
    expect(toJobError(e).retryable).toBe(false);
  });

  it('given a Meta code 190 with subcode 463 on HTTP 400, then auth with the fbtrace id kept', () => {
    const e = platformErrorFromResponse('facebook', {
      status: 400,
      method: 'POST',
      headers: {},
      body: JSON.stringify({
        error: {
          message: 'Error validating access token: Session has expired on Sunday, 22-Nov-26 10:00:00 PST.',
          type: 'OAuthException',
          code: 190,
          error_subcode: 463,
          fbtrace_id: 'AbCdEf123',
        },
      }),
      now: NOW,
    });
    expect(e.category).toBe('auth');
    expect(e.code).toBe('190/463');
    expect(e.traceId).toBe('AbCdEf123');
  });

  it.each([4, 17, 32, 613])('given Meta throttling code %i, then rate_limit and retryable', (code) => {
    const e = platformErrorFromResponse('instagram', {
      status: 400,
      method: 'POST',
      headers: {},
      body: JSON.stringify({ error: { message: 'Application request limit reached', type: 'OAuthException', code, fbtrace_id: 'X1' } }),
      now: NOW,
    });
    expect(e.category).toBe('rate_limit');
    expect(toJobError(e).retryable).toBe(true);
  });

  it('given a 502 on a non-idempotent POST, then transient with effect unknown (reconcile first)', () => {
    const e = platformErrorFromResponse('mastodon', { status: 502, method: 'POST', headers: {}, body: '<html>Bad Gateway</html>', now: NOW });
    expect(e.category).toBe('transient');
    expect(e.effect).toBe('unknown');
    const job = toJobError(e);
    expect(job.retryable).toBe(true);
    expect(job.effect).toBe('unknown');
  });

  it('given a 503 on a POST carrying an honoured idempotency key, then effect none', () => {
    const e = platformErrorFromResponse('mastodon', { status: 503, method: 'POST', idempotent: true, headers: { 'retry-after': '5' }, body: '', now: NOW });
    expect(e.effect).toBe('none');
    expect(e.retryAfterMs).toBe(5000);
  });

  it('given a 200 whose body is malformed JSON on a POST, then transient with effect unknown', () => {
    const e = platformErrorFromResponse('linkedin', { status: 201, method: 'POST', headers: {}, body: '{"id": "urn:li:share:1', now: NOW });
    expect(e.category).toBe('transient');
    expect(e.effect).toBe('unknown');
    expect(e.message).toContain('malformed JSON');
  });

  it('given a Mastodon 422 with a validation message, then validation', () => {
    const e = platformErrorFromResponse('mastodon', {
      status: 422,
      method: 'POST',
      headers: {},
      body: '{"error":"Validation failed: Text character limit of 500 exceeded"}',
      now: NOW,
    });
    expect(e.category).toBe('validation');
    expect(e.message).toContain('500');
  });

  it('given a Mastodon 422 for media still processing, then transient; a bad file type is media', () => {
    const waiting = platformErrorFromResponse('mastodon', {
      status: 422,
      method: 'POST',
      headers: {},
      body: '{"error":"Cannot attach files that have not finished processing. Try again in a moment!"}',
      now: NOW,
    });
    expect(waiting.category).toBe('transient');
    expect(waiting.effect).toBe('none');
    const badType = platformErrorFromResponse('mastodon', {
      status: 422,
      method: 'POST',
      headers: {},
      body: '{"error":"Validation failed: File content type is invalid, File is invalid"}',
      now: NOW,
    });
    expect(badType.category).toBe('media');
  });

  it('given a Meta error without a code on a 500, then transient and no invented code', () => {
    const e = platformErrorFromResponse('facebook', {
      status: 500,
      method: 'POST',
      headers: {},
      body: '{"error":{"message":"An unexpected error has occurred. Please retry your request later.","type":"OAuthException","is_transient":true,"fbtrace_id":"Zz9"}}',
      now: NOW,
    });
    expect(e.code).toBeNull();
    expect(e.category).toBe('transient');
    expect(e.effect).toBe('unknown');
  });

  it('given a Mastodon 401 with "The access token is invalid", then auth', () => {
    const e = platformErrorFromResponse('mastodon', { status: 401, method: 'GET', headers: {}, body: '{"error":"The access token is invalid"}', now: NOW });
    expect(e.category).toBe('auth');
  });

  it('given a LinkedIn 401 EXPIRED_ACCESS_TOKEN, then auth; a 422 is validation', () => {
    const auth = platformErrorFromResponse('linkedin', {
      status: 401,
      method: 'POST',
      headers: { 'x-li-uuid': 'li-trace-1' },
      body: '{"status":401,"serviceErrorCode":65601,"code":"EXPIRED_ACCESS_TOKEN","message":"The token used in the request has expired"}',
      now: NOW,
    });
    expect(auth.category).toBe('auth');
    expect(auth.traceId).toBe('li-trace-1');
    const invalid = platformErrorFromResponse('linkedin', {
      status: 422,
      method: 'POST',
      headers: {},
      body: '{"status":422,"message":"/commentary :: length exceeds 3000 characters"}',
      now: NOW,
    });
    expect(invalid.category).toBe('validation');
  });

  it('given fetch failing with ECONNREFUSED on a POST, then transient and certainly no effect', () => {
    const err = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) });
    const e = platformErrorFromNetwork('bluesky', err, { method: 'POST' });
    expect(e.category).toBe('transient');
    expect(e.effect).toBe('none');
    expect(e.code).toBe('ECONNREFUSED');
  });

  it('given fetch failing with a socket reset mid-POST, then effect unknown', () => {
    const err = new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    expect(platformErrorFromNetwork('x', err, { method: 'POST' }).effect).toBe('unknown');
  });
});

describe('connector helpers and capabilities', () => {
  it('given a Facebook schedule 5 minutes ahead, then outside the window; 1 hour ahead, inside', () => {
    const caps = CAPABILITIES.facebook;
    expect(withinSchedulingWindow(caps, NOW + 5 * 60_000, NOW)).toBe(false);
    expect(withinSchedulingWindow(caps, NOW + 3_600_000, NOW)).toBe(true);
    expect(withinSchedulingWindow(CAPABILITIES.x, NOW + 3_600_000, NOW)).toBe(false);
  });

  it('given a Mastodon schedule 4 minutes ahead, then refused (the API wants at least 5)', () => {
    expect(withinSchedulingWindow(CAPABILITIES.mastodon, NOW + 4 * 60_000, NOW)).toBe(false);
    expect(withinSchedulingWindow(CAPABILITIES.mastodon, NOW + 6 * 60_000, NOW)).toBe(true);
  });

  it('given an idempotency key, then its marker is found as a word in the posted text only', () => {
    const marker = publishMarker('0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b');
    expect(marker).toBe('pd1d2e3f4a5b');
    expect(hasPublishMarker(`Big launch today! ${marker}`, marker)).toBe(true);
    expect(hasPublishMarker(`Big launch today! ${marker}x`, marker)).toBe(false);
  });

  it('given a port, then the loopback redirect uses the IP literal (RFC 8252), never localhost', () => {
    expect(loopbackRedirectUri(53682)).toBe('http://127.0.0.1:53682/callback');
    expect(() => loopbackRedirectUri(0)).toThrow(RangeError);
  });

  it('given expires_in, then expiry lands a margin before the real one; and reply windows close', () => {
    expect(expiresAtFrom(7200, NOW)).toBe(NOW + 7_200_000 - 60_000);
    expect(expiresAtFrom(undefined, NOW)).toBeNull();
    expect(replyWindowOpen({ replyDeadline: NOW + 1 }, NOW)).toBe(true);
    expect(replyWindowOpen({ replyDeadline: NOW }, NOW)).toBe(false);
    expect(joinUrl('https://mastodon.social/', '/api/v1/statuses')).toBe('https://mastodon.social/api/v1/statuses');
  });
});

describe('OAuth token-endpoint errors', () => {
  it.each(['mastodon', 'linkedin', 'facebook', 'x'] as const)(
    'given %s answers a refresh with RFC 6749 invalid_grant, when mapped, then it is auth (reconnect), not a validation error',
    (platform) => {
      const err = platformErrorFromResponse(platform, {
        status: 400,
        headers: {},
        body: JSON.stringify({ error: 'invalid_grant', error_description: 'The refresh token is invalid or revoked.' }),
        method: 'POST',
      });
      expect(err).toMatchObject({ category: 'auth', code: 'invalid_grant', effect: 'none' });
      expect(err.retryable).toBe(false);
    },
  );
});

describe('Meta subcodes that change the meaning of their code', () => {
  it.each([
    [1, 404, 'auth'],
    [10, 2018278, 'validation'],
    [9, 2207042, 'rate_limit'],
    [9007, 2207027, 'transient'],
    [10, null, 'auth'],
  ] as const)('given code %s / subcode %s, when mapped, then it is %s', (code, subcode, category) => {
    const err = platformErrorFromResponse('instagram', {
      status: 400,
      headers: {},
      body: JSON.stringify({ error: { message: 'x', type: 'OAuthException', code, ...(subcode === null ? {} : { error_subcode: subcode }), fbtrace_id: 'A1' } }),
      method: 'POST',
    });
    expect(err.category).toBe(category);
  });
});
