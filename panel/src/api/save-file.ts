/**
 * Hands a file the API answered (a CSV export) to the browser to save under `name`. The object
 * URL is revoked once the click has started the download.
 */
export function saveFile(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 0);
}
