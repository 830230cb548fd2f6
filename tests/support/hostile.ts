import { contract, routes, type RouteKey } from '@baoxue/shared';
import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Call } from './sample-calls';

/**
 * Hostile requests for the property-based input tests: the fields of each write endpoint are read
 * from its shared zod schema (as JSON Schema), and a valid sample request is mutated field by
 * field — wrong types, missing and extra fields, hostile strings — or as a whole.
 */

type Segment = string | number;
type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
};

export interface FieldSpec {
  path: Segment[];
  types: string[];
  required: boolean;
}

/** Every field a request body may carry, nested objects and the first item of arrays included. */
export function fieldsOf(schema: z.ZodType): FieldSpec[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const fields: FieldSpec[] = [];
  const visit = (node: JsonSchema, path: Segment[], required: boolean) => {
    const variants = [node, ...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])];
    const types = new Set<string>();
    for (const variant of variants) {
      if (typeof variant.type === 'string') types.add(variant.type);
      if (Array.isArray(variant.type)) variant.type.forEach((t) => types.add(t));
      if (variant.enum || typeof variant.const === 'string') types.add('string');
    }
    if (path.length) fields.push({ path, types: [...types], required });
    for (const variant of variants) {
      for (const [name, child] of Object.entries(variant.properties ?? {}))
        visit(child, [...path, name], variant.required?.includes(name) ?? false);
      if (variant.items) visit(variant.items, [...path, 0], true);
    }
  };
  visit(json, [], true);
  return fields;
}

/** A string as the mutation names it: huge ones by their recipe, so a failure report stays readable. */
export type StringSpec = string | { repeat: string; times: number };
const materialise = (spec: StringSpec) => (typeof spec === 'string' ? spec : spec.repeat.repeat(spec.times));

const INJECTION = [
  "' OR '1'='1",
  "'; DROP TABLE tips; --",
  '1 UNION SELECT password FROM users --',
  '" OR ""="',
  "\\'; SELECT SLEEP(5); --",
  '%27%20OR%201%3D1',
  '<script>xss()</script>',
  '<img src=x onerror=xss()>',
  '<svg onload=xss()>',
  'javascript:xss()',
  '{{constructor.constructor("xss()")()}}',
  '${7*7}',
];
const PATHS = [
  '../../../../etc/passwd',
  '..\\..\\..\\windows\\win.ini',
  '/etc/passwd\u0000.jpg',
  '....//....//etc/hosts',
  '%2e%2e%2f%2e%2e%2f',
];
/** Unicode people really type: full-width digits, traditional characters, emoji, and invisible or broken code points. */
const UNICODE = [
  '１２３４５６',
  '４１１５２２１０１２０３',
  '１１０１０５１９４９１２３１００２Ｘ',
  '張偉國',
  '學校輟學，家長說孩子要去廣東打工',
  '😀👨‍👩‍👧‍👦🏫',
  '\u{1F600}'.repeat(30),
  '\u200B\u200B',
  '\uFEFF',
  '\u202Egnp.exe',
  '\uD800',
  'x\uDFFFx',
];
const CONTROL = ['\u0000', 'a\u0000b', '\u0007\u001b[31m', '\r\n\r\nX-Injected: 1', '\t\v\f', '\u007f'];
/** ID numbers that must be refused: wrong check character, impossible date, too short, letters. */
const BAD_ID_NUMBERS = ['110105194912310021', '11010519491331002X', '1101051949123100', 'ABCDEFGHIJKLMNOPQR', '000000000000000000'];
const ODD = ['', ' ', '   \t  ', 'null', 'undefined', 'NaN', '-1', '1e309', '0x10', '2026-02-30', '9999-99-99'];

const hostileString: fc.Arbitrary<StringSpec> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...INJECTION, ...PATHS, ...UNICODE, ...CONTROL, ...BAD_ID_NUMBERS, ...ODD) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }) },
  {
    weight: 2,
    arbitrary: fc.record({
      repeat: fc.constantFrom('Ａ', 'x', '😀', '<', '\u0000'),
      times: fc.constantFrom(201, 2_001, 70_000, 400_000),
    }),
  },
);

const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, -1, 1.5, 1e308, Number.MIN_SAFE_INTEGER - 2, 2 ** 31, true, false, null, [], [1, 2], {}, { $gt: '' }, '１２', '12'),
  fc.jsonValue({ maxDepth: 3 }),
);

const EXTRA_KEYS = ['id', 'countyCode', 'role', 'createdBy', 'status', 'userId', 'isAdmin', '__proto__', 'constructor', 'prototype'];

export type Mutation =
  | { kind: 'set'; path: Segment[]; value: unknown }
  | { kind: 'text'; path: Segment[]; value: StringSpec; keepSample: boolean }
  | { kind: 'drop'; path: Segment[] }
  | { kind: 'extra'; path: Segment[]; key: string; value: unknown }
  | { kind: 'body'; raw: StringSpec; contentType: string }
  | { kind: 'param'; value: StringSpec }
  | { kind: 'query'; name: string; value: StringSpec };

/** Raw bodies no schema accepts: not objects, broken or absurdly nested JSON, a prototype-pollution attempt. */
const RAW_BODIES: StringSpec[] = [
  '[]',
  '"text"',
  '123',
  'null',
  'true',
  '{',
  '{"a":',
  '\u0000',
  '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"role":"county_admin"}}}',
  { repeat: '[', times: 5_000 },
  { repeat: '{"a":', times: 3_000 },
];

const PARAM_VALUES: StringSpec[] = [
  '-1',
  '0',
  '1.5',
  'null',
  'undefined',
  "' OR 1=1 --",
  '../../etc/passwd',
  '..',
  '%00',
  '１２３',
  '😀',
  '00000000-0000-0000-0000-000000000000',
  '7a0f1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b',
  { repeat: '9', times: 500 },
  { repeat: 'a', times: 4_000 },
];

/** Mutations of one route's sample: of its body fields (from the schema), its whole body, its path and query. */
export function mutationFor(key: RouteKey): fc.Arbitrary<Mutation[]> {
  const schemas = contract[key] as { body?: z.ZodType; query?: z.ZodType };
  const fields = schemas.body ? fieldsOf(schemas.body) : [];
  const options: Array<fc.Arbitrary<Mutation>> = [
    fc.record({
      kind: fc.constant('body' as const),
      raw: fc.constantFrom(...RAW_BODIES),
      contentType: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
    }),
    fc.record({
      kind: fc.constant('extra' as const),
      path: fc.constant([]),
      key: fc.oneof(fc.constantFrom(...EXTRA_KEYS), fc.string({ minLength: 1, maxLength: 12 })),
      value: wrongValue,
    }),
  ];
  if (/:\w+/.test(routes[key].path))
    options.push(fc.record({ kind: fc.constant('param' as const), value: fc.constantFrom(...PARAM_VALUES) }));
  const queryNames = schemas.query ? fieldsOf(schemas.query).map((f) => String(f.path[0])) : [];
  options.push(
    fc.record({
      kind: fc.constant('query' as const),
      name: fc.constantFrom(...queryNames, 'x', '__proto__'),
      // URLs stay within what an HTTP server reads at all (Node: 16 KB of headers); huge text goes in bodies
      value: hostileString.filter((v) => typeof v === 'string' || v.times <= 201),
    }),
  );
  if (fields.length) {
    const field = fc.constantFrom(...fields);
    const strings = fields.filter((f) => f.types.includes('string'));
    const objects = fields.filter((f) => f.types.includes('object'));
    options.push(
      field.chain((f) => fc.record({ kind: fc.constant('set' as const), path: fc.constant(f.path), value: wrongValue })),
      field.map((f): Mutation => ({ kind: 'drop', path: f.path })),
    );
    if (strings.length) {
      const text = fc.record({
        kind: fc.constant('text' as const),
        path: fc.constantFrom(...strings.map((f) => f.path)),
        value: hostileString,
        keepSample: fc.boolean(),
      });
      // hostile text is the mutation most likely to reach the service and the database: give it more runs
      options.push(text, text, text);
    }
    if (objects.length)
      options.push(
        fc.record({
          kind: fc.constant('extra' as const),
          path: fc.constantFrom(...objects.map((f) => f.path)),
          key: fc.constantFrom(...EXTRA_KEYS),
          value: wrongValue,
        }),
      );
  }
  return fc.array(fc.oneof(...options), { minLength: 1, maxLength: 3 });
}

/**
 * Mutations every run makes whatever the seed: each text field far over any column's length, and
 * each field of the wrong type or missing. Random runs explore; these make sure no field is missed.
 */
export function examplesFor(key: RouteKey): Array<[Mutation[]]> {
  const schema = (contract[key] as { body?: z.ZodType }).body;
  if (!schema) return [];
  return fieldsOf(schema).flatMap((f): Array<[Mutation[]]> => [
    ...(f.types.includes('string')
      ? [[[{ kind: 'text', path: f.path, value: { repeat: 'x', times: 2_001 }, keepSample: false }]] as [Mutation[]]]
      : []),
    [[{ kind: 'set', path: f.path, value: { $gt: '' } }]],
    [[{ kind: 'drop', path: f.path }]],
  ]);
}

export interface HostileRequest {
  path: string;
  body: Record<string, unknown> | FormData | string | undefined;
  headers: Record<string, string>;
}

function parentOf(root: Record<string, unknown>, path: Segment[]): Record<string, unknown> | unknown[] | null {
  let node: unknown = root;
  for (const segment of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return null;
    const record = node as Record<string, unknown>;
    if (record[segment] === undefined || record[segment] === null || typeof record[segment] !== 'object') record[segment] = {};
    node = record[segment];
  }
  return node as Record<string, unknown>;
}

/** An own property even for `__proto__`, so JSON carries it the way an attacker would send it. */
function put(target: Record<string, unknown> | unknown[], key: Segment, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The sample with the mutations applied, in order. */
export function applyMutations(key: RouteKey, sample: Call, mutations: Mutation[]): HostileRequest {
  const url = new URL(sample.path, 'http://x');
  let body: HostileRequest['body'] = sample.body instanceof FormData ? sample.body : structuredClone(sample.body ?? {});
  const headers: Record<string, string> = {};
  for (const mutation of mutations) {
    const json = body !== null && typeof body === 'object' && !(body instanceof FormData) ? body : null;
    switch (mutation.kind) {
      case 'body':
        body = materialise(mutation.raw);
        headers['content-type'] = mutation.contentType;
        break;
      case 'param': {
        const value = encodeURIComponent(materialise(mutation.value));
        url.pathname = routes[key].path.replace(/:\w+/g, value);
        break;
      }
      case 'query':
        url.searchParams.set(mutation.name, materialise(mutation.value));
        break;
      case 'set':
      case 'text':
      case 'drop':
      case 'extra': {
        if (!json) break;
        const fullPath = mutation.kind === 'extra' ? [...mutation.path, mutation.key] : mutation.path;
        const parent = parentOf(json, fullPath);
        if (!parent) break;
        const last = fullPath[fullPath.length - 1]!;
        if (mutation.kind === 'drop') delete (parent as Record<string, unknown>)[last];
        else if (mutation.kind === 'text') {
          const before = (parent as Record<string, unknown>)[last];
          const text = materialise(mutation.value);
          put(parent, last, mutation.keepSample && typeof before === 'string' ? `${before}${text}` : text);
        } else put(parent, last, mutation.value);
        break;
      }
    }
  }
  return { path: `${url.pathname}${url.search}`, body, headers };
}

/** A short description of a request for failure messages (huge strings cut). */
export function describeRequest(request: HostileRequest): string {
  const body =
    request.body instanceof FormData ? '<multipart>' : typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
  const cut = (s: string | undefined) => (s && s.length > 300 ? `${s.slice(0, 300)}…(${s.length} chars)` : s);
  return `${cut(request.path)} ${cut(body)}`;
}

/** Rows in every table of the schema, in one query. */
export function rowCounter(dataSource: DataSource): () => Promise<Record<string, number>> {
  const tables = [...new Set(dataSource.entityMetadatas.filter((m) => m.tableType === 'regular').map((m) => m.tableName))].sort();
  const sql = tables.map((table) => `SELECT '${table}' AS t, COUNT(*) AS n FROM ${dataSource.driver.escape(table)}`).join(' UNION ALL ');
  return async () => {
    const rows = (await dataSource.query(sql)) as Array<{ t: string; n: number | string }>;
    return Object.fromEntries(rows.map((row) => [row.t, Number(row.n)]));
  };
}

/** The tables whose row count differs. */
export function changedTables(before: Record<string, number>, after: Record<string, number>): Record<string, [number, number]> {
  return Object.fromEntries(
    Object.keys({ ...before, ...after })
      .filter((t) => before[t] !== after[t])
      .map((t) => [t, [before[t] ?? 0, after[t] ?? 0]]),
  );
}
