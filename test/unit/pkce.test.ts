// PKCE against RFC 7636 itself: the Appendix B vector pins the S256 transform (base64url of the
// SHA-256 of the ASCII verifier, no padding), and §4.1 bounds what a verifier may be.
import { describe, expect, it } from 'vitest';
import { codeChallengeS256, createCodeVerifier, createState } from '../../electron/platforms/pkce';

const UNRESERVED_43_TO_128 = /^[A-Za-z0-9\-._~]{43,128}$/;

describe('PKCE', () => {
  // The RFC's challenge is "...URWbuGJSstw-cM" (a "G", as its SHA-256 octets below confirm).
  it('given the RFC 7636 Appendix B verifier, when its S256 challenge is computed, then it is the published challenge', () => {
    const challenge = codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
    expect(challenge).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect([...Buffer.from(challenge, 'base64url')]).toEqual([
      19, 211, 30, 150, 26, 26, 216, 236, 47, 22, 177, 12, 76, 152, 46, 8, 118, 168, 120, 173, 109, 241, 68, 86, 110, 225, 137, 74, 203, 112, 249, 195,
    ]);
  });

  it('given the RFC 7636 Appendix B random octets, when encoded as base64url, then they give the published verifier', () => {
    const octets = [116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121];
    expect(Buffer.from(octets).toString('base64url')).toBe('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
  });

  it('given many generated verifiers, when inspected, then each is 43 base64url characters and none repeats', () => {
    const verifiers = Array.from({ length: 500 }, () => createCodeVerifier());
    for (const v of verifiers) {
      expect(v).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(v).toMatch(UNRESERVED_43_TO_128);
    }
    expect(new Set(verifiers).size).toBe(verifiers.length);
  });

  it('given a generated verifier, when its challenge is computed, then it is 43 base64url characters without padding and differs from the verifier', () => {
    const v = createCodeVerifier();
    const challenge = codeChallengeS256(v);
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).not.toBe(v);
    expect(codeChallengeS256(v)).toBe(challenge);
  });

  it('given verifiers at the length limits using every unreserved character, when challenged, then they are accepted', () => {
    const min = 'aZ09-._~'.padEnd(43, 'x');
    const max = 'aZ09-._~'.padEnd(128, 'y');
    expect(codeChallengeS256(min)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(codeChallengeS256(max)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it.each([
    ['too short (42)', 'a'.repeat(42)],
    ['too long (129)', 'a'.repeat(129)],
    ['empty', ''],
    ['base64 "+" and "/"', `${'a'.repeat(41)}+/`],
    ['padding "="', `${'a'.repeat(42)}=`],
    ['a space', `${'a'.repeat(42)} `],
    ['non-ASCII', `${'a'.repeat(42)}é`],
    ['a newline at the end', `${'a'.repeat(43)}\n`],
  ])('given a verifier that is %s, when challenged, then it is rejected', (_label, verifier) => {
    expect(() => codeChallengeS256(verifier)).toThrow(RangeError);
  });

  it('given many generated states, when inspected, then each carries 128 bits as base64url and none repeats', () => {
    const states = Array.from({ length: 500 }, () => createState());
    for (const s of states) expect(s).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set(states).size).toBe(states.length);
  });
});
