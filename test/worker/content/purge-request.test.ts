import { describe, expect, it } from 'vitest';
import { PURGE_REPLAY_SECONDS, SIGNATURE_HEADER, TIMESTAMP_HEADER, signPurge, verifyPurge } from '../../../src/content/purge-request.ts';

const NOW = Date.parse('2026-12-02T12:00:00Z');

async function check(body: string, headers: Record<string, string>, now = NOW) {
  return verifyPurge('secret', new Headers(headers), body, now);
}

describe('purge requests', () => {
  it('verifies what it signed, within the replay window either way', async () => {
    const signed = await signPurge('secret', { tags: ['index', 'front'] }, NOW);
    expect(await check(signed.body, signed.headers)).toEqual({ ok: true, body: { tags: ['index', 'front'] } });
    const edge = PURGE_REPLAY_SECONDS * 1000;
    expect((await check(signed.body, signed.headers, NOW + edge)).ok).toBe(true);
    expect((await check(signed.body, signed.headers, NOW - edge)).ok).toBe(true);
    expect((await check(signed.body, signed.headers, NOW + edge + 1000)).ok).toBe(false);
  });

  it('binds the signature to the timestamp and the body', async () => {
    const signed = await signPurge('secret', { tags: ['index'] }, NOW);
    const later = { ...signed.headers, [TIMESTAMP_HEADER]: String(Number(signed.headers[TIMESTAMP_HEADER]) + 1) };
    expect(await check(signed.body, later)).toMatchObject({ ok: false, refusal: { status: 401 } });
    expect(await check('{"tags":["front"]}', signed.headers)).toMatchObject({ ok: false, refusal: { status: 401 } });
    const mangled = { ...signed.headers, [SIGNATURE_HEADER]: `${signed.headers[SIGNATURE_HEADER]!.slice(0, -1)}A` };
    expect(await check(signed.body, mangled)).toMatchObject({ ok: false, refusal: { status: 401 } });
  });

  it('drops repeated tags', async () => {
    const signed = await signPurge('secret', { tags: ['a', 'a', 'b'] }, NOW);
    expect(await check(signed.body, signed.headers)).toEqual({ ok: true, body: { tags: ['a', 'b'] } });
  });
});
