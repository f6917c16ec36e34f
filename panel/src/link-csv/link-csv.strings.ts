import type { Lang } from '../i18n/locale.js';

/** Every visible and aria string of so-link-csv. */
export const linkCsvStrings: Readonly<Record<Lang, {
  title: string; intro: string; export: string; file: string; preview: string; apply: string; applySkipping: string;
  onlyRefused: string; row: string; status: string; associate: string; mailbox: string; reason: string;
  statuses: Record<'new' | 'changed' | 'unchanged' | 'refused', string>;
  counts: (c: { new: number; changed: number; unchanged: number; refused: number }) => string;
  applied: (r: { created: number; updated: number; unchanged: number; skipped: number }) => string;
  busy: string;
}>> = {
  en: {
    title: 'CSV export and import',
    intro: 'Export the linked users to a CSV file, edit options and Server Ranks in a spreadsheet, and import the file again. The import is previewed first.',
    export: 'Export',
    file: 'CSV file to import',
    preview: 'Preview',
    apply: 'Apply',
    applySkipping: 'Apply skipping refused rows',
    onlyRefused: 'Show only refused rows',
    row: 'Row', status: 'Status', associate: 'Associate', mailbox: 'Mailbox', reason: 'Reason or changes',
    statuses: { new: 'New', changed: 'Changed', unchanged: 'Unchanged', refused: 'Refused' },
    counts: (c) => `${c.new} new, ${c.changed} changed, ${c.unchanged} unchanged, ${c.refused} refused.`,
    applied: (r) => `Applied: ${r.created} linked, ${r.updated} changed, ${r.unchanged} unchanged, ${r.skipped} skipped.`,
    busy: 'Working…',
  },
  nb: {
    title: 'CSV-eksport og -import',
    intro: 'Eksporter de koblede brukerne til en CSV-fil, endre valg og Server Rank i et regneark, og importer filen igjen. Importen forhåndsvises først.',
    export: 'Eksporter',
    file: 'CSV-fil som skal importeres',
    preview: 'Forhåndsvis',
    apply: 'Bruk',
    applySkipping: 'Bruk uten avviste rader',
    onlyRefused: 'Vis bare avviste rader',
    row: 'Rad', status: 'Status', associate: 'Medarbeider', mailbox: 'Postboks', reason: 'Grunn eller endringer',
    statuses: { new: 'Ny', changed: 'Endret', unchanged: 'Uendret', refused: 'Avvist' },
    counts: (c) => `${c.new} nye, ${c.changed} endret, ${c.unchanged} uendret, ${c.refused} avvist.`,
    applied: (r) => `Brukt: ${r.created} koblet, ${r.updated} endret, ${r.unchanged} uendret, ${r.skipped} hoppet over.`,
    busy: 'Arbeider…',
  },
};
