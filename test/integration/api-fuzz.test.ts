// Every method of the contract, fed malformed input generated from its own schema, through the
// real web-mode process over HTTP. The bar: every answer is a typed {code, message} that is a 4xx
// (400 invalid_input whenever the schema rejects the input), nothing hangs, the process stays up,
// nothing leaks into Object.prototype, and the database file is intact afterwards.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openConnection } from '../../db/client';
import { DB_FILE_NAME } from '../../electron/core/app';
import { methods, type MethodName } from '../../electron/api/index';
import { join } from 'node:path';
import { postApi, spawnWebCli, type RawResponse, type SpawnedWeb } from '../helpers/web';

type JsonSchema = z.core.JSONSchema.JSONSchema;
type JsonType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null';
const ALL_TYPES: JsonType[] = ['string', 'number', 'boolean', 'object', 'array', 'null'];

const names = Object.keys(methods) as MethodName[];
/** Keep the whole file near 20 s however many methods the contract grows to. */
const RUNS_PER_METHOD = Math.max(25, Math.min(250, Math.floor(2500 / names.length)));
const TIME_PER_METHOD_MS = Math.max(1_500, Math.floor(18_000 / names.length));
const HUGE = 1024 * 1024;

// ------------------------------------------------------------------------------ schema reading

const isSchema = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

function typeOfValue(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  return t === 'string' || t === 'number' || t === 'boolean' ? t : 'object';
}

/** The JSON types a schema accepts, or 'any' when it does not say (refs, {}, unrepresentable). */
function allowedTypes(s: JsonSchema): Set<JsonType> | 'any' {
  const alternatives = [s.anyOf, s.oneOf].find(Array.isArray);
  if (alternatives) {
    const out = new Set<JsonType>();
    for (const alt of alternatives) {
      if (!isSchema(alt)) return 'any';
      const a = allowedTypes(alt);
      if (a === 'any') return 'any';
      a.forEach((t) => out.add(t));
    }
    return out;
  }
  if (Array.isArray(s.enum)) return new Set(s.enum.map(typeOfValue));
  if ('const' in s) return new Set([typeOfValue(s.const)]);
  const t = s.type;
  const list = Array.isArray(t) ? t : typeof t === 'string' ? [t] : [];
  if (list.length === 0) return 'any';
  return new Set(list.map((x) => (x === 'integer' ? 'number' : (x as JsonType))));
}

interface Field {
  path: string[];
  schema: JsonSchema;
  required: boolean;
}

/** Every property reachable through nested objects (a few levels: enough for `patch.name`). */
function fieldsOf(s: JsonSchema, prefix: string[] = [], depth = 0): Field[] {
  if (depth > 3 || !isSchema(s.properties)) return [];
  const required = new Set(Array.isArray(s.required) ? s.required : []);
  return Object.entries(s.properties).flatMap(([key, sub]) => {
    if (!isSchema(sub)) return [];
    const f: Field = { path: [...prefix, key], schema: sub, required: required.has(key) };
    return [f, ...fieldsOf(sub, f.path, depth + 1)];
  });
}

// ------------------------------------------------------------------------------ arbitraries

/** Strings that break naive code: lone surrogates, bidi overrides, NUL, injections, long graphemes. */
const NASTY = [
  '\uD800',
  '\uDFFF',
  'a\uD800b\uDC00c',
  '\u202Eevil\u202C',
  '\u200F\u200E\u061C',
  '\u200B\u200D\uFEFF',
  '\u0000',
  'nul\u0000byte',
  'مرحبا بالعالم',
  '👩‍👩‍👧‍👦🏳️‍🌈',
  'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ',
  "'; DROP TABLE workspaces; --",
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%s%s%n',
  '\r\n\r\nHTTP/1.1 200 OK',
  ' ',
  '',
];
const nastyString = fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 300 }));

const anyJson = fc.jsonValue({ maxDepth: 3 });
const numberish = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -1, 1.5, Number.MAX_SAFE_INTEGER + 2, 1e308, -1e308),
);

function valueOfType(t: JsonType): fc.Arbitrary<unknown> {
  switch (t) {
    case 'string':
      return nastyString;
    case 'number':
      return numberish;
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(anyJson, { maxLength: 4 });
    case 'object':
      return fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 4 });
  }
}

/** A value of a type the field does not take; undefined when the field takes anything. */
function wrongValue(s: JsonSchema): fc.Arbitrary<unknown> | undefined {
  const allowed = allowedTypes(s);
  if (allowed === 'any') return undefined;
  const wrong = ALL_TYPES.filter((t) => !allowed.has(t));
  const arbs = wrong.map(valueOfType);
  if (s.type === 'integer') arbs.push(fc.constantFrom(0.5, -2.25, 1e-9));
  return arbs.length ? fc.oneof(...arbs) : undefined;
}

/** Roughly the right shape, so a single broken field is what the server must catch. */
function plausible(s: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (Array.isArray(s.enum) && s.enum.length) return fc.constantFrom(...(s.enum as unknown[]));
  if ('const' in s) return fc.constant(s.const);
  const allowed = allowedTypes(s);
  if (allowed === 'any' || depth > 3) return anyJson;
  const t = allowed.has('object') ? 'object' : [...allowed][0] ?? 'null';
  if (t === 'object') {
    const props = isSchema(s.properties) ? s.properties : {};
    const required = new Set(Array.isArray(s.required) ? s.required : []);
    const entries = Object.entries(props).filter((e): e is [string, JsonSchema] => isSchema(e[1]));
    return fc.record(
      Object.fromEntries(entries.map(([k, sub]) => [k, plausible(sub, depth + 1)])),
      { requiredKeys: entries.map(([k]) => k).filter((k) => required.has(k)) },
    );
  }
  if (t === 'string') return fc.string({ maxLength: 20 });
  if (t === 'array') return fc.array(isSchema(s.items) ? plausible(s.items, depth + 1) : anyJson, { maxLength: 3 });
  return valueOfType(t);
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});

/** Set (or delete, with `remove`) a nested key as an own property, creating parents as needed. */
function withPath(base: unknown, path: string[], value: unknown, remove = false): Obj {
  const root: Obj = structuredClone(asObj(base));
  let cur = root;
  for (const key of path.slice(0, -1)) {
    const next = asObj(cur[key]);
    defineOwn(cur, key, next);
    cur = next;
  }
  const last = path[path.length - 1];
  if (last === undefined) return root;
  if (remove) delete cur[last];
  else defineOwn(cur, last, value);
  return root;
}

/** Plain assignment to "__proto__" would change the prototype; the wire must carry it as a key. */
function defineOwn(o: Obj, key: string, value: unknown) {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__'];

function nestedDeep(depth: number, asArray: boolean): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
}

interface Case {
  kind: string;
  /** Exactly what goes on the wire; undefined = no body at all. */
  body: string | undefined;
}

function malformedInputs(schema: JsonSchema): fc.Arbitrary<Case> {
  const fields = fieldsOf(schema);
  const base = plausible(schema);
  const json = (kind: string) => (v: unknown): Case => ({ kind, body: JSON.stringify(v) });
  const arbs: fc.Arbitrary<Case>[] = [
    // The whole input is not an object.
    fc.oneof(fc.constant(null), fc.boolean(), numberish, nastyString, fc.array(anyJson, { maxLength: 4 })).map(json('not an object')),
    base.map((b) => json('array instead of object')([b])),
    // Unknown keys, including ones that name Object.prototype's members.
    fc.tuple(base, fc.dictionary(fc.string({ maxLength: 10 }), anyJson, { maxKeys: 5 })).map(([b, extra]) => json('extra keys')({ ...asObj(b), ...extra })),
    fc.tuple(base, fc.constantFrom(...PROTO_KEYS), anyJson).map(([b, key, v]) => json('prototype key')(withPath(b, [key], v))),
    fc.tuple(base, fc.integer({ min: 50, max: 3_000 }), fc.boolean()).map(([b, d, arr]) => json('deeply nested')(withPath(b, ['deep'], nestedDeep(d, arr)))),
  ];
  for (const f of fields) {
    const wrong = wrongValue(f.schema);
    if (wrong) arbs.push(fc.tuple(base, wrong).map(([b, w]) => json(`wrong type at ${f.path.join('.')}`)(withPath(b, f.path, w))));
    if (f.required) arbs.push(base.map((b) => json(`missing ${f.path.join('.')}`)(withPath(b, f.path, undefined, true))));
    const allowed = allowedTypes(f.schema);
    if (allowed === 'any' || allowed.has('string')) {
      arbs.push(fc.tuple(base, nastyString).map(([b, s]) => json(`unicode at ${f.path.join('.')}`)(withPath(b, f.path, s))));
    }
    arbs.push(fc.tuple(base, fc.constantFrom(...PROTO_KEYS), anyJson).map(([b, key, v]) => json(`prototype key in ${f.path.join('.')}`)(withPath(b, [...f.path, key], v))));
  }
  return fc.oneof(...arbs);
}

/** ~1 MB strings per string field: one plain, one made of the nastiest characters. */
function hugeCases(schema: JsonSchema): Case[] {
  const ascii = 'x'.repeat(HUGE);
  // Lone surrogates are escaped to 6 bytes each on the wire; keep the body well under 5 MB.
  const unicode = '\u202E\uD800é中😀\u200F'.repeat(Math.floor(HUGE / 8));
  return fieldsOf(schema)
    .filter((f) => {
      const a = allowedTypes(f.schema);
      return a === 'any' || a.has('string');
    })
    .slice(0, 3)
    .flatMap((f, i) => [
      { kind: `1 MB string at ${f.path.join('.')}`, body: JSON.stringify(withPath({}, f.path, i % 2 ? unicode : ascii)) },
    ]);
}

/** Raw bodies that are not what any JSON serializer would produce. */
const RAW_CASES: Case[] = [
  { kind: 'no body', body: undefined },
  { kind: 'empty JSON string', body: '""' },
  { kind: 'truncated JSON', body: '{"name": "x' },
  { kind: 'not JSON', body: 'hello' },
  { kind: 'trailing garbage', body: '{} {}' },
  { kind: 'object nested 100k deep', body: '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000) },
  { kind: 'array nested 1M deep', body: '['.repeat(1_000_000) + ']'.repeat(1_000_000) },
  { kind: 'duplicate __proto__ keys', body: '{"__proto__": {"polluted": true}, "__proto__": [1]}' },
  { kind: 'constructor.prototype', body: '{"constructor": {"prototype": {"polluted": true}}}' },
  { kind: 'lone surrogate escapes', body: '{"name": "\\ud800\\udbff", "timezone": "\\udc00"}' },
];

// ------------------------------------------------------------------------------ the oracle

/** What dispatch does with the wire value before validating: no body / null mean {}. */
async function schemaAccepts(name: MethodName, body: string | undefined): Promise<boolean> {
  let wire: unknown;
  try {
    wire = body === undefined ? undefined : (JSON.parse(body) as unknown);
  } catch {
    return false;
  }
  const r = await methods[name].input.safeParseAsync(wire === undefined || wire === null ? {} : wire);
  return r.success;
}

function describeFailure(name: string, c: Case, res: RawResponse): string {
  return `${name} [${c.kind}] body=${(c.body ?? '<none>').slice(0, 200)} -> ${res.status} ${res.text.slice(0, 300)}`;
}

const tally = new Map<MethodName, { rejected: number; accepted: number }>();

async function check(web: SpawnedWeb, name: MethodName, c: Case): Promise<void> {
  const res = await postApi(web.port, web.token, name, c.body, { 'Content-Type': 'application/json' });
  const why = describeFailure(name, c, res);
  expect(res.status, why).toBeGreaterThanOrEqual(200);
  expect(res.status, why).toBeLessThan(500);
  const t = tally.get(name) ?? { rejected: 0, accepted: 0 };
  tally.set(name, t);
  if (!(await schemaAccepts(name, c.body))) {
    t.rejected++;
    expect(res.status, why).toBe(400);
    expect(res.json, why).toMatchObject({ code: 'invalid_input', message: expect.any(String) });
    return;
  }
  t.accepted++;
  // Valid by the schema (e.g. extra keys are stripped): a result, or a typed 4xx such as not_found.
  if (res.status === 200) expect(res.json, why).toHaveProperty('result');
  else expect(res.json, why).toMatchObject({ code: expect.any(String), message: expect.any(String) });
}

// ------------------------------------------------------------------------------ the run

let web: SpawnedWeb;
beforeAll(async () => {
  web = await spawnWebCli();
}, 180_000);
afterAll(async () => web?.cleanup());

describe('API fuzz over HTTP, every method of the contract', () => {
  it.each(names)('given malformed input generated from its schema, when %s is called, then every answer is a typed 4xx', async (name) => {
    const schema = z.toJSONSchema(methods[name].input, { io: 'input', unrepresentable: 'any' });
    for (const c of [...RAW_CASES, ...hugeCases(schema)]) await check(web, name, c);
    await fc.assert(
      fc.asyncProperty(malformedInputs(schema), (c) => check(web, name, c)),
      { numRuns: RUNS_PER_METHOD, interruptAfterTimeLimit: TIME_PER_METHOD_MS },
    );
    // The generator must mostly produce input the schema refuses, or this test proves little. A
    // method that takes no fields ({}) accepts almost anything shaped like an object, so there
    // only the raw non-object cases can be refused (asking more made the check a coin toss).
    const t = tally.get(name);
    const fields = isSchema(schema.properties) ? Object.keys(schema.properties).length : 0;
    if (fields > 0) expect(t?.rejected ?? 0, `${name}: ${JSON.stringify(t)}`).toBeGreaterThan(RAW_CASES.length);
    else expect(t?.rejected ?? 0, `${name}: ${JSON.stringify(t)}`).toBeGreaterThan(0);
  });

  it('given all of that, when a valid call follows, then the process is up, nothing was polluted, and the database is intact', async () => {
    expect(web.child.exitCode).toBeNull();
    expect(await web.call('app.info', {})).toMatchObject({ host: 'web' });
    // Had a "__proto__" key reached Object.prototype in the server, {} would now carry these
    // fields and this empty create would pass validation.
    const canary = await postApi(web.port, web.token, 'workspaces.create', '{"__proto__": {"name": "Polluted", "timezone": "UTC"}}');
    expect(canary.status).toBe(400);
    expect((await postApi(web.port, web.token, 'workspaces.create', '{}')).json).toMatchObject({
      code: 'invalid_input',
      issues: expect.arrayContaining([expect.objectContaining({ path: ['name'] }), expect.objectContaining({ path: ['timezone'] })]),
    });
    const ws = await web.call('workspaces.create', { name: 'After The Storm', timezone: 'Asia/Tokyo' });
    expect(await web.call('workspaces.get', { workspaceId: ws.id })).toMatchObject({ name: 'After The Storm' });

    expect(await web.stop('SIGTERM')).toBe(0);
    const sqlite = openConnection({ file: join(web.dataDir, DB_FILE_NAME), readonly: true });
    try {
      expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(sqlite.pragma('foreign_key_check')).toEqual([]);
    } finally {
      sqlite.close();
    }
  });
});
