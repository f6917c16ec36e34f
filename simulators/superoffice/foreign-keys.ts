import { asBody, intField, stringField, type LooseBody } from './body.js';
import { SoError } from './errors.js';

/**
 * The Foreign Key system: application → device → key, each key a `(KeyName, KeyValue)` on a
 * record of a table (database/tables/foreignkey.md: `subvalue` String(239);
 * docs/api/foreign-keys/erp-integration.md). Served by the ForeignSystem agent
 * (ForeignSystem_Agent/v1ForeignSystemAgent_AddForeignKey.md, …_GetKeyByValue.md, …_GetKey.md).
 */
export interface ForeignKeyRow {
  foreignKeyId: number;
  applicationName: string;
  deviceName: string;
  deviceIdentifier: string;
  keyName: string;
  keyValue: string;
  tableName: string;
  recordId: number;
  created: number;
  createdBy: number;
}

/** `foreignkey.subvalue` is a String(239). */
export const KEY_VALUE_MAX = 239;

export interface KeyAddress {
  applicationName: string;
  deviceName: string;
  deviceIdentifier: string;
  keyName: string;
  tableName: string;
}

/** App, device, key and table of an agent call's body; the application and key names are required. */
export function keyAddress(body: LooseBody): KeyAddress {
  const address = {
    applicationName: stringField(body, 'ApplicationName'),
    deviceName: stringField(body, 'DeviceName'),
    deviceIdentifier: stringField(body, 'DeviceIdentifier'),
    keyName: stringField(body, 'KeyName'),
    tableName: stringField(body, 'TableName'),
  };
  if (!address.applicationName || !address.keyName || !address.tableName) {
    throw new SoError(400, 'ArgumentException', 'ApplicationName, KeyName and TableName are required.');
  }
  return address;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function matches(row: ForeignKeyRow, at: KeyAddress): boolean {
  return (
    same(row.applicationName, at.applicationName) &&
    same(row.deviceName, at.deviceName) &&
    same(row.deviceIdentifier, at.deviceIdentifier) &&
    same(row.keyName, at.keyName) &&
    same(row.tableName, at.tableName)
  );
}

export class ForeignKeyStore {
  private rows: ForeignKeyRow[] = [];
  private nextId = 1;

  /**
   * `AddForeignKey`: a new key, or the existing key of that record updated (one value per record
   * and key name [INF]). The app and device are created on first use, as the agent does.
   */
  add(raw: unknown, by: number, now: number): ForeignKeyRow {
    const body = asBody(raw);
    const at = keyAddress(body);
    const keyValue = stringField(body, 'KeyValue');
    const recordId = intField(body, 'RecordId', 0);
    if (keyValue.length > KEY_VALUE_MAX) throw new SoError(400, 'ArgumentException', `KeyValue may be at most ${KEY_VALUE_MAX} characters.`);
    if (recordId <= 0) throw new SoError(400, 'ArgumentException', 'RecordId must be a positive record id.');
    const existing = this.rows.find((r) => matches(r, at) && r.recordId === recordId);
    if (existing) {
      existing.keyValue = keyValue;
      return existing;
    }
    const row: ForeignKeyRow = { ...at, keyValue, recordId, foreignKeyId: this.nextId++, created: now, createdBy: by };
    this.rows.push(row);
    return row;
  }

  /** `GetKeyByValue`: the first key with that value (keys are not unique by value; the lowest id wins [INF]). */
  byValue(raw: unknown): ForeignKeyRow | undefined {
    const body = asBody(raw);
    const at = keyAddress(body);
    const value = stringField(body, 'KeyValue');
    return this.rows.find((r) => matches(r, at) && r.keyValue === value);
  }

  /** `GetKey`: the key a record has. */
  byRecord(raw: unknown): ForeignKeyRow | undefined {
    const body = asBody(raw);
    const at = keyAddress(body);
    const recordId = intField(body, 'RecordId', 0);
    return this.rows.find((r) => matches(r, at) && r.recordId === recordId);
  }

  list(): ForeignKeyRow[] {
    return this.rows.map((r) => ({ ...r }));
  }

  clear(): void {
    this.rows = [];
  }
}
