import { createContext } from '@lit/context';
import type { PanelClient } from './api-client.js';

/**
 * The API client, provided once by the app shell (`so-sync-settings`) so that any element below
 * it can consume the same signed-in client instead of taking it through properties.
 */
export const panelApiContext = createContext<PanelClient>(Symbol('so-panel-api'));
