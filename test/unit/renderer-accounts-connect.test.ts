// The "Connect account" dialog's steps: which step a network starts on, where Back leads, what each
// `accounts.connect` event does to a waiting dialog, and where a refused sign-in's error is shown.
import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../../renderer/api/errors';
import type { PlatformInfo } from '../../renderer/pages/accounts/account-labels';
import {
  applyConnectEvent,
  backStep,
  browserStep,
  canGoBack,
  firstStep,
  passwordErrors,
  pickerOrder,
  platformBlurb,
  reconnectTarget,
  stepTitle,
  type ConnectEvent,
  type ConnectStep,
} from '../../renderer/pages/accounts/connect-flow';

const CAPS = { textLimit: 300, threads: true, firstComment: false, nativeScheduling: false, dms: false, comments: true, metrics: true, altText: true };

function info(over: Partial<PlatformInfo>): PlatformInfo {
  return {
    platform: 'bluesky',
    name: 'Bluesky',
    authKind: 'app_password',
    needsApp: false,
    needsClientSecret: false,
    appConfigured: true,
    appHelp: null,
    passwordHelp: 'Use an app password.',
    serverLabel: 'Server (PDS)',
    serverPlaceholder: 'bsky.social',
    capabilities: CAPS,
    ...over,
  };
}

const BLUESKY = info({});
const MASTODON = info({ platform: 'mastodon', name: 'Mastodon', authKind: 'oauth2', serverLabel: 'Instance', serverPlaceholder: 'mastodon.social', passwordHelp: null, capabilities: { ...CAPS, textLimit: 500, nativeScheduling: true, dms: true } });
const X_NO_APP = info({ platform: 'x', name: 'X', authKind: 'oauth2', needsApp: true, appConfigured: false, serverLabel: null, serverPlaceholder: null, appHelp: 'Create an app…' });
const X_READY = { ...X_NO_APP, appConfigured: true };

const FLOW = '01a209c8-5d75-7e69-b3d8-361524adf10w';
const waiting: ConnectStep = { kind: 'waiting', platform: 'x', server: '', flowId: FLOW, authorizeUrl: 'https://x.com/i/oauth2/authorize?state=a', opened: false };
const ev = (over: Partial<ConnectEvent>): ConnectEvent => ({ flowId: FLOW, workspaceId: 'w', platform: 'x', status: 'waiting', ...over });

describe('connect steps', () => {
  it('given each kind of network, then the first step is the password form, the developer app, the server, or the browser button', () => {
    expect(firstStep(BLUESKY)).toEqual({ kind: 'password', platform: 'bluesky' });
    expect(firstStep(X_NO_APP)).toEqual({ kind: 'app', platform: 'x' });
    expect(firstStep(X_READY)).toEqual({ kind: 'ready', platform: 'x', server: '' });
    expect(firstStep(MASTODON, 'mastodon.social')).toEqual({ kind: 'server', platform: 'mastodon', server: 'mastodon.social' });
    expect(browserStep(X_READY)).toEqual({ kind: 'ready', platform: 'x', server: '' });
  });

  it('given a dialog opened from the picker, then Back returns to it; opened to reconnect one account, there is nothing to go back to', () => {
    const pw: ConnectStep = { kind: 'password', platform: 'bluesky' };
    expect(backStep(pw, BLUESKY, {})).toEqual({ kind: 'pick' });
    expect(canGoBack(pw, BLUESKY, {})).toBe(true);
    expect(backStep(pw, BLUESKY, { platform: 'bluesky', accountId: 'a' })).toBe(pw);
    expect(canGoBack(pw, BLUESKY, { platform: 'bluesky' })).toBe(false);
    expect(canGoBack({ kind: 'pick' }, undefined, {})).toBe(false);
  });

  it('given a waiting or failed browser sign-in, then Back goes to where it started, keeping the server typed', () => {
    expect(backStep(waiting, X_READY, { platform: 'x' })).toEqual({ kind: 'ready', platform: 'x', server: '' });
    const failed: ConnectStep = { kind: 'failed', platform: 'mastodon', server: 'fosstodon.org', error: 'denied' };
    expect(backStep(failed, MASTODON, {})).toEqual({ kind: 'server', platform: 'mastodon', server: 'fosstodon.org' });
  });
});

describe('accounts.connect events', () => {
  const back: ConnectStep = { kind: 'ready', platform: 'x', server: '' };

  it('given the flow being shown connects, then the dialog is done with the new account', () => {
    expect(applyConnectEvent(waiting, ev({ status: 'connected', accountId: 'acc-1' }), back)).toEqual({ kind: 'connected', accountId: 'acc-1' });
  });

  it('given it fails, then the dialog shows the network’s reason (or says it did not finish)', () => {
    expect(applyConnectEvent(waiting, ev({ status: 'failed', error: 'X said: access_denied' }), back)).toEqual({
      kind: 'step',
      step: { kind: 'failed', platform: 'x', server: '', error: 'X said: access_denied' },
    });
    expect(applyConnectEvent(waiting, ev({ status: 'failed' }), back)).toMatchObject({ step: { error: 'The sign-in did not finish.' } });
  });

  it('given it is cancelled, then the dialog goes back a step', () => {
    expect(applyConnectEvent(waiting, ev({ status: 'cancelled' }), back)).toEqual({ kind: 'step', step: back });
  });

  it('given an older flow’s event or a dialog not waiting, then nothing changes', () => {
    expect(applyConnectEvent(waiting, ev({ flowId: 'older', status: 'connected', accountId: 'x' }), back)).toEqual({ kind: 'ignore' });
    expect(applyConnectEvent(back, ev({ status: 'connected' }), back)).toEqual({ kind: 'ignore' });
  });

  it('given a new sign-in address for the same flow, then the link in the dialog follows it', () => {
    expect(applyConnectEvent(waiting, ev({ authorizeUrl: 'https://x.com/i/oauth2/authorize?state=b' }), back)).toMatchObject({ step: { authorizeUrl: 'https://x.com/i/oauth2/authorize?state=b' } });
    expect(applyConnectEvent(waiting, ev({ authorizeUrl: waiting.authorizeUrl }), back)).toEqual({ kind: 'ignore' });
  });
});

describe('wording and order', () => {
  it('given a step, then the title says what the user is doing', () => {
    expect(stepTitle({ kind: 'pick' }, null, false)).toBe('Connect an account');
    expect(stepTitle({ kind: 'password', platform: 'bluesky' }, 'Bluesky', false)).toBe('Connect Bluesky');
    expect(stepTitle({ kind: 'password', platform: 'bluesky' }, 'Bluesky', true)).toBe('Reconnect Bluesky');
    expect(stepTitle(waiting, 'X', false)).toBe('Finish signing in to X');
  });

  it('given networks that need setup, then the ready ones are listed first, each with how it signs in', () => {
    expect(pickerOrder([X_NO_APP, BLUESKY, MASTODON]).map((p) => p.platform)).toEqual(['bluesky', 'mastodon', 'x']);
    expect(platformBlurb(BLUESKY)).toBe('Handle and app password · 300 characters · threads · comments');
    expect(platformBlurb(MASTODON)).toBe('Sign in through your browser · 500 characters · threads · native scheduling · DMs');
    expect(platformBlurb(X_NO_APP)).toMatch(/^Needs your developer app first/);
  });

  it('given an account to reconnect, then the form is prefilled with its handle and server (the full address only for plain http)', () => {
    const base = { id: 'a1', platform: 'bluesky', username: 'kofi.bsky.social' } as const;
    expect(reconnectTarget({ ...base, serverUrl: 'https://bsky.social' })).toEqual({ platform: 'bluesky', accountId: 'a1', server: 'bsky.social', identifier: 'kofi.bsky.social' });
    expect(reconnectTarget({ ...base, serverUrl: 'http://127.0.0.1:2583' })).toMatchObject({ server: 'http://127.0.0.1:2583' });
  });
});

describe('where a refused sign-in shows', () => {
  it('given field issues, then each lands on its field', () => {
    const err = new ApiCallError('invalid_input', 'bad', [{ path: ['identifier'], message: 'enter your handle or email' }]);
    expect(passwordErrors(err, '')).toEqual({ fields: { identifier: 'Enter your handle or email.' }, failure: null });
  });

  it('given the engine quotes the server that was typed, then the server field shows it', () => {
    const err = new ApiCallError('invalid_input', '"ftp://pds.example" must be an https:// address.');
    expect(passwordErrors(err, ' ftp://pds.example ')).toEqual({ fields: { serverUrl: '"ftp://pds.example" must be an https:// address.' }, failure: null });
  });

  it('given the network refused the password, then it is a form-level error with the network’s words', () => {
    const err = new ApiCallError('platform_refused', 'Bluesky refused the sign-in: Invalid identifier or password.');
    expect(passwordErrors(err, '')).toEqual({ fields: {}, failure: err });
  });
});
