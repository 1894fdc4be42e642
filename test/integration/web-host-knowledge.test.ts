// The knowledge upload route as the real web host serves it: a document larger than any JSON call
// can carry (5 MB) is streamed in with the token and queued for indexing with its exact bytes; a
// file over the knowledge base's cap is refused in words before it is read.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestWebHost, type TestWebHost } from '../helpers/web';

let host: TestWebHost | undefined;
afterEach(async () => {
  await host?.cleanup();
  host = undefined;
});

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('knowledge uploads through the web host', () => {
  it('given a 6 MB handbook, when PUT with the token, then it is stored byte for byte and queued for indexing; without the token it is refused', async () => {
    host = await startTestWebHost();
    const ws = await host.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/Paris' });
    const section = (i: number) => `## Section ${i}\n\n${`Rye needs a longer proof than wheat; keep the dough at 26 °C and fold it twice. `.repeat(12)}\n\n`;
    let text = '# Bakery handbook\n\n';
    for (let i = 0; text.length < 6 * 1024 * 1024; i++) text += section(i);
    const body = new Uint8Array(Buffer.from(text, 'utf8'));
    expect(body.length).toBeGreaterThan(5 * 1024 * 1024);
    const url = `http://127.0.0.1:${host.port}/api/knowledge?workspaceId=${ws.id}&filename=${encodeURIComponent('Bakery handbook.md')}`;

    expect((await fetch(url, { method: 'PUT', body })).status).toBe(401);

    const res = await fetch(url, { method: 'PUT', body, headers: { Authorization: `Bearer ${host.token}` } });
    expect(res.status).toBe(201);
    const result = ((await res.json()) as { result: { kind: string; duplicate: boolean; jobId: string | null; document: { id: string; title: string; status: string; sizeBytes: number } } }).result;
    expect(result).toMatchObject({ kind: 'document', duplicate: false, document: { title: 'Bakery handbook', status: 'processing', sizeBytes: body.length } });
    expect(result.jobId).toEqual(expect.any(String));

    const stored = await host.call('knowledge.documents', { workspaceId: ws.id });
    expect(stored.documents.map((d) => d.id)).toEqual([result.document.id]);
    const row = host.core.ctx.db.sqlite.prepare('SELECT file_path AS path, content_sha256 AS sha FROM knowledge_documents WHERE id = ?').get(result.document.id) as { path: string; sha: string };
    expect(row.sha).toBe(sha(body));
    expect(sha(await readFile(row.path))).toBe(sha(body));
  });

  it('given an FAQ csv, when PUT, then its entries are added (200, kind faq)', async () => {
    host = await startTestWebHost();
    const ws = await host.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/Paris' });
    const csv = 'question,question 2,answer\nDo you sell rye?,Any rye loaves?,"Yes, on Thursdays."\n';
    const res = await fetch(`http://127.0.0.1:${host.port}/api/knowledge?workspaceId=${ws.id}&filename=faq.csv`, { method: 'PUT', body: csv, headers: { Authorization: `Bearer ${host.token}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { result: unknown }).result).toMatchObject({ kind: 'faq', created: 1 });
    expect((await host.call('knowledge.faq', { workspaceId: ws.id })).map((f) => f.questions)).toEqual([['Do you sell rye?', 'Any rye loaves?']]);
  });

  it('given a declared size over 50 MB or no file name, then the upload is refused with the reason and nothing is stored', async () => {
    host = await startTestWebHost();
    const ws = await host.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/Paris' });
    const auth = { Authorization: `Bearer ${host.token}` };
    // fetch will not send a body shorter than its declared length, so the declared size goes out on a raw request.
    const raw = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      {
        const req = request({ host: '127.0.0.1', port: host!.port, method: 'PUT', path: `/api/knowledge?workspaceId=${ws.id}&filename=huge.pdf`, headers: { ...auth, Host: `127.0.0.1:${host!.port}`, 'Content-Length': String(51 * 1024 * 1024) } }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        req.on('error', reject);
        req.write(Buffer.alloc(1024));
      }
    });
    expect(raw.status).toBe(413);
    expect(JSON.parse(raw.body)).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/^The file is 51\.0 MB; the knowledge base takes files up to 50\.0 MB/) });

    const nameless = await fetch(`http://127.0.0.1:${host.port}/api/knowledge?workspaceId=${ws.id}`, { method: 'PUT', body: 'hello', headers: auth });
    expect(nameless.status).toBe(400);
    expect(((await nameless.json()) as { issues: { path: string[] }[] }).issues[0]?.path).toEqual(['filename']);
    expect((await host.call('knowledge.documents', { workspaceId: ws.id })).documents).toEqual([]);
  });
});
