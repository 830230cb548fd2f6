import { contract, ERRORS, ROLE_LABELS, ROUTE_SUMMARIES, routes, type RouteKey } from '@baoxue/shared';
import { z } from 'zod';
import type { RegisteredRoute } from './route-registry';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (object.required ?? []).includes(name),
    schema: property,
  }));
}

function accessText(route: RegisteredRoute): string {
  if (route.access.kind === 'public') return '无需登录';
  if (route.access.kind === 'signed-in') return '任何已登录用户（数据按其范围过滤）';
  return `仅限：${route.access.roles.map((r) => ROLE_LABELS[r]).join('、')}（数据按其单位范围过滤）`;
}

/** The OpenAPI document, generated from the shared contract and the server's own route table. */
export function buildOpenApiDocument(registered: readonly RegisteredRoute[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of registered) {
    const key = route.key as RouteKey;
    const schemas = contract[key] as (typeof contract)[RouteKey] & {
      params?: z.ZodType;
      query?: z.ZodType;
      body?: z.ZodType;
      file?: { maxBytes: number; description: string };
    };
    const openApiPath = route.path.replace(/^\/api/, '').replace(/:([a-zA-Z]+)/g, '{$1}');
    const operation: Record<string, unknown> = {
      operationId: key,
      summary: ROUTE_SUMMARIES[key],
      description: accessText(route),
      tags: [openApiPath.split('/')[1] ?? 'api'],
      parameters: [...parametersOf(schemas.params, 'path'), ...parametersOf(schemas.query, 'query')],
      responses: {
        '200': { description: '成功', content: { 'application/json': { schema: jsonSchema(schemas.response, 'output') } } },
        default: {
          description: '错误（code 为稳定的英文代码，message 为中文说明，fields 指明出错的字段）',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
        },
      },
    };
    if (schemas.body)
      operation.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(schemas.body, 'input') } } };
    const fileField = (routes[key] as { fileField?: string }).fileField;
    if (schemas.file && fileField) {
      const description = `${schemas.file.description}，最大 ${Math.round(schemas.file.maxBytes / 1024 / 1024)} MB`;
      operation.requestBody = {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              required: [fileField],
              properties: { [fileField]: { type: 'string', format: 'binary', description } },
            },
          },
        },
      };
    }
    if (route.access.kind !== 'public') operation.security = [{ bearer: [] }];
    (paths[openApiPath] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: '保学通 API', version, description: '控辍保学小程序与管理后台的接口。所有错误返回 { code, message, fields }。' },
    servers: [{ url: '/api' }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: '登录接口返回的 token' } },
      schemas: {
        ApiError: {
          type: 'object',
          required: ['code', 'message', 'fields'],
          properties: {
            code: { type: 'string', enum: Object.keys(ERRORS) },
            message: { type: 'string' },
            fields: { type: 'object', additionalProperties: { type: 'string' } },
            rows: {
              type: 'array',
              items: { type: 'object', properties: { line: { type: 'integer' }, column: { type: 'string' }, message: { type: 'string' } } },
            },
          },
        },
      },
    },
  };
}
