import type { StandardSchemaV1 } from '@standard-schema/spec';
import { AppError } from './app-error';

/** Turns schema issues into a 400 naming each field (dotted path) with its Chinese message. */
export function validationError(issues: readonly StandardSchemaV1.Issue[]): AppError {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const path = (issue.path ?? []).map((segment) => String(typeof segment === 'object' ? segment.key : segment)).join('.');
    const key = path || '_';
    fields[key] ??= issue.message;
  }
  const first = Object.values(fields)[0];
  return new AppError('VALIDATION_FAILED', first ? `提交的内容有误：${first}` : undefined, fields);
}
