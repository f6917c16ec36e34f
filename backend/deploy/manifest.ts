import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';

/** The shipped manifest and its schema (manifest/ at the repository root). */
export const MANIFEST_FILE = fileURLToPath(new URL('../../../manifest/app.manifest.json', import.meta.url));
export const SCHEMA_FILE = fileURLToPath(new URL('../../../manifest/app.manifest.schema.json', import.meta.url));

/** The user groups of the administrator who installs the app. */
export const ADMINISTRATORS = '$administrators';

export interface ManifestWebPanel {
  progId: string;
  windowName: string;
  name: string;
  tooltip?: string;
  visibleIn: string;
  url: string;
  urlEncoding?: 'None' | 'ANSI' | 'Unicode';
  rank?: number;
  icon?: number;
  onCentral?: boolean;
  onSatellite?: boolean;
  onTravel?: boolean;
  onSalesMarketingWeb?: boolean;
  onSalesMarketingPocket?: boolean;
  showInMenuBar?: boolean;
  showInToolBar?: boolean;
  showInAddressBar?: boolean;
  showInStatusBar?: boolean;
  alwaysReloadOnShow?: boolean;
}

export interface Manifest {
  app: { name: string; version: string };
  prefix: string;
  visibility: { userGroups: string[] };
  webPanels: ManifestWebPanel[];
  superoffice: { redirectUrls: string[]; corsUrls: string[]; restrictedAgents: { agent: string; reason: string }[] };
  microsoftGraph: {
    applicationPermissions: { permission: string; reason: string }[];
    delegatedPermissions: { permission: string; reason: string }[];
    redirectUris: string[];
    spaRedirectUris: string[];
  };
}

/** One problem with a manifest, located by its JSON path (`$.webPanels[1].visibleIn`). */
export interface ManifestProblem {
  path: string;
  message: string;
}

export class ManifestError extends Error {
  constructor(readonly problems: ManifestProblem[]) {
    super(`The manifest is not valid:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
    this.name = 'ManifestError';
  }
}

/** The web panel as SuperOffice stores it (PascalCase `WebPanelEntity` fields the manifest controls). */
export interface DesiredWebPanel {
  ProgId: string;
  WindowName: string;
  Name: string;
  Tooltip: string;
  VisibleIn: string;
  Url: string;
  UrlEncoding: string;
  Rank: number;
  Icon: number;
  OnCentral: boolean;
  OnSatellite: boolean;
  OnTravel: boolean;
  OnSalesMarketingWeb: boolean;
  OnSalesMarketingPocket: boolean;
  ShowInMenuBar: boolean;
  ShowInToolBar: boolean;
  ShowInAddressBar: boolean;
  ShowInStatusBar: boolean;
  AlwaysReloadOnShow: boolean;
}

export interface ResolvedManifest {
  manifest: Manifest;
  baseUrl: string;
  panels: DesiredWebPanel[];
  userGroups: string[];
}

// Ajv ships CommonJS with a default export; createRequire keeps its types straight under NodeNext.
const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;

let validator: ValidateFunction | null = null;
function schemaValidator(): ValidateFunction {
  if (validator) return validator;
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: false });
  addFormats(ajv);
  const compiled = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object);
  validator = compiled;
  return compiled;
}

/** `/webPanels/0/url` → `$.webPanels[0].url`. */
export function jsonPath(pointer: string, extra?: string): string {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  return `$${parts.map((p) => (/^\d+$/.test(p) ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`)).join('')}`;
}

function describe(e: ErrorObject): ManifestProblem {
  switch (e.keyword) {
    case 'required':
      return { path: jsonPath(e.instancePath, String(e.params.missingProperty)), message: 'is required' };
    case 'additionalProperties':
      return { path: jsonPath(e.instancePath, String(e.params.additionalProperty)), message: 'is not a known property' };
    case 'enum':
      return {
        path: jsonPath(e.instancePath),
        message: `must be one of ${(e.params.allowedValues as unknown[]).length > 8 ? 'the values the schema lists' : (e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    default:
      return { path: jsonPath(e.instancePath), message: e.message ?? 'is not valid' };
  }
}

const isLocal = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '[::1]';

/**
 * Checks a manifest against the JSON Schema, then what a schema cannot say: ProgIds and
 * WindowNames unique and under the prefix, a NavigatorButton pointing at a BrowserPanel of the
 * manifest, and (production) an https base URL. Every problem names its JSON path.
 */
export function validateManifest(doc: unknown, options: { baseUrl?: string; production?: boolean } = {}): Manifest {
  const validate = schemaValidator();
  if (!validate(doc)) {
    const seen = new Set<string>();
    const problems = (validate.errors ?? []).map(describe).filter((p) => {
      const key = `${p.path} ${p.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
    throw new ManifestError(problems);
  }
  const manifest = doc as Manifest;
  const problems: ManifestProblem[] = [];
  const firstProgId = new Map<string, number>();
  const firstWindow = new Map<string, number>();
  manifest.webPanels.forEach((p, i) => {
    const at = `$.webPanels[${i}]`;
    const progId = p.progId.toLowerCase();
    if (firstProgId.has(progId)) problems.push({ path: `${at}.progId`, message: `duplicates the ProgId of $.webPanels[${firstProgId.get(progId)}]` });
    else firstProgId.set(progId, i);
    const windowName = p.windowName.toLowerCase();
    if (firstWindow.has(windowName)) problems.push({ path: `${at}.windowName`, message: `duplicates the WindowName of $.webPanels[${firstWindow.get(windowName)}]` });
    else firstWindow.set(windowName, i);
    if (!p.progId.startsWith(manifest.prefix)) problems.push({ path: `${at}.progId`, message: `must start with the prefix "${manifest.prefix}"` });
    if (!p.windowName.startsWith(manifest.prefix)) problems.push({ path: `${at}.windowName`, message: `must start with the prefix "${manifest.prefix}"` });
    if (p.url.startsWith('soprotocol:')) {
      const target = /^soprotocol:browser\.(.+)$/.exec(p.url)?.[1];
      const browser = manifest.webPanels.find((q) => q.windowName === target && q.visibleIn === 'BrowserPanel');
      if (!browser) problems.push({ path: `${at}.url`, message: 'must be soprotocol:browser.<WindowName> of a BrowserPanel in this manifest' });
    }
    if (p.visibleIn === 'BrowserPanel' && p.url.startsWith('soprotocol:')) problems.push({ path: `${at}.url`, message: 'a BrowserPanel must open a page, not a soprotocol link' });
  });
  if (options.baseUrl !== undefined) {
    let url: URL | null = null;
    try {
      url = new URL(options.baseUrl);
    } catch {
      problems.push({ path: '$.baseUrl', message: `"${options.baseUrl}" is not a URL` });
    }
    if (url) {
      if (url.protocol !== 'https:' && url.protocol !== 'http:') problems.push({ path: '$.baseUrl', message: 'must be an http(s) URL' });
      else if (options.production && url.protocol !== 'https:') {
        problems.push({ path: '$.baseUrl', message: `must use https in production (got ${url.origin}); SuperOffice Online only frames https pages` });
      } else if (!options.production && url.protocol === 'http:' && !isLocal(url.hostname)) {
        problems.push({ path: '$.baseUrl', message: 'http is allowed for localhost only' });
      }
      if (url.search || url.hash) problems.push({ path: '$.baseUrl', message: 'must not have a query or fragment' });
    }
  }
  if (problems.length > 0) throw new ManifestError(problems);
  return manifest;
}

export function loadManifest(file = MANIFEST_FILE): unknown {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ManifestError([{ path: '$', message: `is not JSON (${(err as Error).message})` }]);
  }
}

const fill = (s: string, baseUrl: string) => s.replaceAll('${baseUrl}', baseUrl);

/** The manifest with the base URL filled in, and each panel as SuperOffice will store it. */
export function resolveManifest(doc: unknown, options: { baseUrl: string; production: boolean }): ResolvedManifest {
  const manifest = validateManifest(doc, options);
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const panels = manifest.webPanels.map(
    (p): DesiredWebPanel => ({
      ProgId: p.progId,
      WindowName: p.windowName,
      Name: p.name,
      Tooltip: `${p.tooltip ?? ''}${p.tooltip ? ' ' : ''}(${manifest.app.name} ${manifest.app.version})`,
      VisibleIn: p.visibleIn,
      Url: fill(p.url, baseUrl),
      UrlEncoding: p.urlEncoding ?? 'None',
      Rank: p.rank ?? 100,
      Icon: p.icon ?? 0,
      OnCentral: p.onCentral ?? true,
      OnSatellite: p.onSatellite ?? false,
      OnTravel: p.onTravel ?? false,
      OnSalesMarketingWeb: p.onSalesMarketingWeb ?? true,
      OnSalesMarketingPocket: p.onSalesMarketingPocket ?? false,
      ShowInMenuBar: p.showInMenuBar ?? false,
      ShowInToolBar: p.showInToolBar ?? false,
      ShowInAddressBar: p.showInAddressBar ?? false,
      ShowInStatusBar: p.showInStatusBar ?? false,
      AlwaysReloadOnShow: p.alwaysReloadOnShow ?? false,
    }),
  );
  return { manifest, baseUrl, panels, userGroups: manifest.visibility.userGroups };
}
