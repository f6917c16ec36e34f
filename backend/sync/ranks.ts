/** Server Ranks a worker serves: a list of ranks and ranges, e.g. `1-10` or `1-3,7`. */
export const MIN_RANK = 1;
export const MAX_RANK = 99;

export class RanksError extends Error {}

/** The ranks `text` names, ascending, each once; throws RanksError saying what is wrong. */
export function parseRanks(text: string): number[] {
  const ranks = new Set<number>();
  const parts = text.split(',').map((p) => p.trim());
  for (const part of parts) {
    const m = /^(\d{1,2})(?:\s*-\s*(\d{1,2}))?$/.exec(part);
    if (!m) throw new RanksError(`"${part.slice(0, 20)}" is not a rank or a range of ranks (like 1-10 or 1-3,7).`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from < MIN_RANK || to > MAX_RANK) throw new RanksError(`Ranks go from ${MIN_RANK} to ${MAX_RANK}; "${part}" does not.`);
    if (to < from) throw new RanksError(`The range "${part}" ends before it starts.`);
    for (let r = from; r <= to; r++) ranks.add(r);
  }
  return [...ranks].sort((a, b) => a - b);
}
