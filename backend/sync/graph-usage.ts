import type { Graph } from '../microsoft/graph.client.js';
import { statusOf } from './mailbox-graph.js';

/** What a mailbox's sync clients need of Graph: one request at a time, and its origin (MailboxGraph.checkedLink). */
export type GraphSender = Pick<Graph, 'send' | 'baseUrl'>;

/**
 * The Graph requests one pass made and how many Graph throttled (429), counted where every sync
 * client's request goes out (MailboxGraph sends through `sender`), so retries count too. A
 * `$batch` counts as its items, as Outlook's limits count them (learn.microsoft.com/graph/
 * json-batching "Throttling and batching"), and each item Graph answered 429 is one throttled; an
 * envelope that failed as a whole is one request. Requests our own limiter refused never reached
 * Graph and are not counted. Server Rank balancing sums these per hour (load.repository.ts).
 */
export class GraphUsage {
  requests = 0;
  throttled = 0;

  sender(graph: GraphSender): GraphSender {
    const send: Graph['send'] = async <T>(method: Parameters<Graph['send']>[0], pathOrUrl: string, headers: Record<string, string>, body?: unknown) => {
      let answer: T;
      try {
        answer = await graph.send<T>(method, pathOrUrl, headers, body);
      } catch (err) {
        this.requests += 1;
        if (statusOf(err) === 429) this.throttled += 1;
        throw err;
      }
      const items = (answer as { responses?: unknown } | null)?.responses;
      if (method === 'POST' && pathOrUrl === '/$batch' && Array.isArray(items)) {
        this.requests += items.length;
        this.throttled += items.filter((i) => (i as { status?: unknown } | null)?.status === 429).length;
      } else {
        this.requests += 1;
      }
      return answer;
    };
    return { send, baseUrl: graph.baseUrl };
  }
}
