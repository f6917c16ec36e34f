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
