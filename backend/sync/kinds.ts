import { contactKind } from './contact/contact-kind.js';
import { diaryKind } from './diary/diary-kind.js';
import type { KindPass } from './kind-pass.js';
import { taskKind } from './task/task-kind.js';

/** The kinds a mailbox pass runs, in this order (each only when the link enables it). */
export const KIND_PASSES: readonly KindPass[] = [diaryKind, taskKind, contactKind];
