import type { z } from 'zod';
import { ApiError, MAX_DETAILS } from './errors.js';

/**
 * Parses `value` with `schema` or throws a 400 that names every problem by its path
 * (`links.3.rank`), so the panel can point at the row.
 */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'params'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues.slice(0, MAX_DETAILS).map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    code: issue.code,
    message: issue.message,
  }));
  throw new ApiError(400, 'ValidationFailed', `The request ${where} is not valid.`, details);
}
