/** One GET /api/v1/links reply as the test clients return it. */
interface PageReply {
  status: number;
  body: any;
  text: string;
}

/**
 * Every linked user of the caller's tenant: GET /api/v1/links page by page, passing each
 * `nextCursor` back until it is null. `get` sends the request for a query string (`?limit=…&cursor=…`).
 */
export async function followLinkPages(get: (query: string) => Promise<PageReply>, limit?: number): Promise<any[]> {
  const links: any[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ ...(limit ? { limit: String(limit) } : {}), ...(cursor ? { cursor } : {}) }).toString();
    const res = await get(query ? `?${query}` : '');
    if (res.status !== 200) throw new Error(`GET /api/v1/links answered ${res.status}: ${res.text.slice(0, 300)}`);
    links.push(...res.body.links);
    cursor = res.body.nextCursor;
  } while (cursor);
  return links;
}
