import { html, nothing, type TemplateResult } from 'lit';

/**
 * Behaviour of the panel's modal dialogs (`<dialog role="alertdialog">` in a shadow root): the
 * element renders the dialog always and says whether it should be open; these keep the browser's
 * modal state in step, start on Cancel (the safe choice) and keep Tab inside.
 */

/** Opens (as a modal, focus on its Cancel button) or closes the dialog to match `open`. */
export function syncModal(dialog: HTMLDialogElement | null, open: boolean): void {
  if (!dialog) return;
  if (open && !dialog.open) {
    dialog.showModal();
    dialog.querySelector<HTMLElement>('[data-action="cancel"]')?.focus();
  } else if (!open && dialog.open) {
    dialog.close();
  }
}

const FOCUSABLE = 'button:not(:disabled), input:not(:disabled), textarea:not(:disabled), a[href]';

/** A dialog's keydown handler: Tab and Shift+Tab wrap between its first and last control. */
export function trapTab(e: KeyboardEvent): void {
  const dialog = e.currentTarget as HTMLDialogElement;
  if (e.key !== 'Tab') return;
  const controls = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const first = controls[0];
  const last = controls[controls.length - 1];
  const active = (dialog.getRootNode() as Document | ShadowRoot).activeElement;
  if (e.shiftKey && active === first) {
    e.preventDefault();
    last?.focus();
  } else if (!e.shiftKey && active === last) {
    e.preventDefault();
    first?.focus();
  }
}

/** One confirmation dialog: its title and body, Cancel (also Escape) and the confirming button. */
export interface AlertDialog {
  /** The element's id, when the host looks it up by id. */
  id?: string;
  /** Prefix of the title's and body's ids (`<name>-title`, `<name>-body`). */
  name: string;
  /** Whether the dialog is to be shown; a closed one renders no buttons (no stray "Cancel" in the page). */
  open: boolean;
  title: unknown;
  body: unknown;
  cancel: { label: string; onClick: () => void };
  confirm: { label: unknown; onClick: () => void; kind: 'danger' | 'primary'; action?: string };
}

/**
 * The panel's `<dialog role="alertdialog">`, labelled by its title and described by its body;
 * Escape cancels (the safe choice) and Tab stays inside ({@link trapTab}). Open it with {@link syncModal}.
 */
export function alertDialog(d: AlertDialog): TemplateResult {
  const onCancel = (e: Event): void => {
    e.preventDefault();
    d.cancel.onClick();
  };
  return html`<dialog
    id=${d.id ?? nothing}
    role="alertdialog"
    aria-modal="true"
    aria-labelledby="${d.name}-title"
    aria-describedby="${d.name}-body"
    @cancel=${onCancel}
    @keydown=${trapTab}
  >
    <h2 id="${d.name}-title">${d.title}</h2>
    <div id="${d.name}-body">${d.body}</div>
    ${d.open
      ? html`<div class="buttons">
          <button type="button" data-action="cancel" @click=${d.cancel.onClick}>${d.cancel.label}</button>
          <button type="button" class=${d.confirm.kind} data-action=${d.confirm.action ?? 'confirm'} @click=${d.confirm.onClick}>${d.confirm.label}</button>
        </div>`
      : nothing}
  </dialog>`;
}
