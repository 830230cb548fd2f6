import { AppError } from '../../../server/src/common/errors/app-error';
import { decodeCursor, encodeCursor } from '../../../server/src/common/http/cursor';

function refusal(cursor: string, arity: number, type: 'string' | 'number' = 'string'): AppError {
  try {
    decodeCursor(
      cursor,
      Array.from({ length: arity }, () => type),
    );
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(cursor)} to be refused`);
}

describe('encodeCursor / decodeCursor', () => {
  it('round-trips the sort key of the last row, Chinese text and numbers included', () => {
    const key = ['411522101000', '十里镇中心小学', '01938a6e-7c2d-7b3e-9f4a-1c2d3e4f5a6b'];
    expect(decodeCursor(encodeCursor(key), ['string', 'string', 'string'])).toEqual(key);
    expect(decodeCursor(encodeCursor([42, 'x', 0, -1.5]), ['number', 'string', 'number', 'number'])).toEqual([42, 'x', 0, -1.5]);
    expect(decodeCursor(encodeCursor(['']), ['string'])).toEqual(['']);
  });

  it('is URL-safe and opaque', () => {
    const cursor = encodeCursor(['411522101000', '十里镇中心小学?/+=', 'id']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('411522101000');
    expect(encodeURIComponent(cursor)).toBe(cursor);
  });

  it('refuses a tampered cursor with VALIDATION_FAILED naming the cursor field', () => {
    const error = refusal('not-a-cursor', 1);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.status).toBe(400);
    expect(error.message).toBe('提交的内容有误，请按提示修改');
    expect(error.fields).toEqual({ cursor: '分页参数不正确，请从第一页重新加载' });
  });

  it('refuses a cut-off cursor', () => {
    const cursor = encodeCursor(['411522101000', '十里镇中心小学', 'id']);
    expect(refusal(cursor.slice(0, -3), 3).fields).toEqual({ cursor: '分页参数不正确，请从第一页重新加载' });
    expect(refusal('', 1).code).toBe('VALIDATION_FAILED');
  });

  it('refuses a cursor of another length than the query expects', () => {
    const three = encodeCursor(['a', 'b', 'c']);
    expect(refusal(three, 1).code).toBe('VALIDATION_FAILED');
    expect(refusal(three, 4).code).toBe('VALIDATION_FAILED');
  });

  it('refuses values of the wrong type, infinite numbers and overlong strings in a position', () => {
    const encode = (json: string) => Buffer.from(json).toString('base64url');
    expect(refusal(encodeCursor([1, 2, 3]), 3).code).toBe('VALIDATION_FAILED');
    expect(refusal(encodeCursor(['1']), 1, 'number').code).toBe('VALIDATION_FAILED');
    expect(refusal(encode('[1e400]'), 1, 'number').code).toBe('VALIDATION_FAILED');
    expect(refusal(encodeCursor(['x'.repeat(101)]), 1).code).toBe('VALIDATION_FAILED');
  });

  it('refuses valid JSON that is not a flat list of strings and numbers', () => {
    const encode = (json: string) => Buffer.from(json).toString('base64url');
    for (const json of ['{"id":"x"}', '"x"', '42', 'null', '[null]', '[true]', '[["x"]]', '[{"$gt":""}]']) {
      expect(refusal(encode(json), 1).fields).toEqual({ cursor: '分页参数不正确，请从第一页重新加载' });
    }
  });
});
