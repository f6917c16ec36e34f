import { contactKind } from './contact/contact-kind.js';
import { diaryKind } from './diary/diary-kind.js';
import type { KindPass } from './kind-pass.js';

/** The kinds a mailbox pass runs, in this order (each only when the link enables it). */
export const KIND_PASSES: readonly KindPass[] = [diaryKind, contactKind];
