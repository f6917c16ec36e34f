import { SoError } from './errors.js';

/**
 * NetServer binds JSON case-insensitively: @superoffice/webapi posts camelCase carriers
 * (`providerName`), hand-written clients post PascalCase (`ProviderName`). Both must work.
 */
export type LooseBody = Record<string, unknown>;

export function asBody(value: unknown): LooseBody {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as LooseBody) : {};
}

/** The value of `name` in `body`, whatever the casing of its key. */
export function field(body: LooseBody, name: string): unknown {
  if (name in body) return body[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(body)) {
    if (key.toLowerCase() === lower) return body[key];
  }
  return undefined;
}

export function stringField(body: LooseBody, name: string, fallback = ''): string {
  const value = field(body, name);
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string') throw new SoError(400, 'ArgumentException', `${name} must be a string.`);
  return value;
}

export function intField(body: LooseBody, name: string, fallback: number): number {
  const value = field(body, name);
  if (value === undefined || value === null) return fallback;
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new SoError(400, 'ArgumentException', `${name} must be an integer.`);
  return n;
}
