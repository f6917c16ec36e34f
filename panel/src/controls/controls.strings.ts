import type { Lang } from '../i18n/locale.js';

/** Every visible and aria string of the panel's shared controls. */
export interface ControlStrings {
  /** Removes a message that stays until dismissed. */
  dismiss: string;
}

export const controlStrings: Readonly<Record<Lang, ControlStrings>> = {
  en: { dismiss: 'Dismiss' },
  nb: { dismiss: 'Lukk' },
};
