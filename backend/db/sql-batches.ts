/**
 * A SQL Server script cut into the batches sqlcmd would send, by the rules of Microsoft's
 * "SQL Server Utilities Statements - GO" page: `GO [count]` alone on its line (any case, blanks
 * around it, a `--` comment after it), `count` a positive integer that repeats the batch, no `;`
 * after it. As in Microsoft's go-sqlcmd (pkg/sqlcmd/batch.go), a `GO` line inside a quoted string
 * or a `/* … *\/` comment is text, not a separator; `[bracketed]` identifiers are skipped too,
 * as the server reads them (`[it's]` opens no string).
 */
export interface SqlBatch {
  text: string;
  /** 1-based line of the script where the batch starts, for error messages. */
  line: number;
  /** How many times to run it (`GO 2` runs it twice). */
  repeat: number;
}

export class SqlScriptError extends Error {}

const GO_LINE = /^[ \t]*go(?![\w@#$])(.*)$/i;

type Open = { kind: "'" | '"' | ']' | '*/'; line: number } | null;

/** Scans `line` from inside `open` (a string, bracket or comment left open by an earlier line). */
function scan(line: string, open: Open, lineNo: number): Open {
  let i = 0;
  while (i < line.length) {
    if (open) {
      const end = line.indexOf(open.kind, i);
      if (end < 0) return open;
      const after = end + open.kind.length;
      // '' inside a string, "" inside a quoted identifier, ]] inside brackets: the character itself.
      if (open.kind !== '*/' && line[after] === open.kind) {
        i = after + 1;
        continue;
      }
      open = null;
      i = after;
      continue;
    }
    const c = line[i]!;
    const two = line.slice(i, i + 2);
    if (two === '--') return null;
    if (two === '/*') {
      open = { kind: '*/', line: lineNo };
      i += 2;
    } else if (c === "'" || c === '"') {
      open = { kind: c, line: lineNo };
      i += 1;
    } else if (c === '[') {
      open = { kind: ']', line: lineNo };
      i += 1;
    } else i += 1;
  }
  return open;
}

/** Only blanks and comments: nothing for the server to run. */
const isEmpty = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/--.*$/gm, '').trim() === '';

export function parseBatches(script: string): SqlBatch[] {
  const lines = script.split(/\r?\n/);
  const batches: SqlBatch[] = [];
  let current: string[] = [];
  let start = 1;
  let open: Open = null;
  const flush = (repeat: number) => {
    const text = current.join('\n').trim();
    if (!isEmpty(text)) {
      // The batch starts at its first line with something on it.
      const offset = current.findIndex((l) => l.trim() !== '');
      batches.push({ text, line: start + Math.max(0, offset), repeat });
    }
  };
  for (const [index, line] of lines.entries()) {
    const lineNo = index + 1;
    const go = open ? null : GO_LINE.exec(line);
    if (go) {
      const rest = go[1]!.replace(/--.*$/, '').trim();
      if (rest !== '' && !/^\d+$/.test(rest)) {
        throw new SqlScriptError(`line ${lineNo}: GO takes only a count (GO [count]), got "${line.trim()}"`);
      }
      const repeat = rest === '' ? 1 : Number(rest);
      if (!Number.isSafeInteger(repeat) || repeat < 1) throw new SqlScriptError(`line ${lineNo}: the count after GO must be a positive integer`);
      flush(repeat);
      current = [];
      start = lineNo + 1;
      continue;
    }
    current.push(line);
    open = scan(line, open, lineNo);
  }
  if (open) {
    const what = open.kind === '*/' ? 'comment' : open.kind === ']' ? 'bracketed identifier' : 'quoted string';
    throw new SqlScriptError(`line ${open.line}: the ${what} that starts here is never closed`);
  }
  flush(1);
  return batches;
}

/** The batches' texts in the order they run, a repeated batch as often as it runs. */
export function splitBatches(script: string): string[] {
  return parseBatches(script).flatMap((b) => Array.from({ length: b.repeat }, () => b.text));
}
