import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';

/**
 * Counts the statements a store runs and, when armed, makes statement number `failAt` fail the
 * way a database error would (thrown from inside the driver call, so the open transaction sees it).
 */
export class StatementFaults implements KyselyPlugin {
  count = 0;
  failAt: number | null = null;
  /** Statement kinds seen, in order (`InsertQueryNode`, `SelectQueryNode`, …). */
  kinds: string[] = [];

  reset(failAt: number | null = null): void {
    this.count = 0;
    this.failAt = failAt;
    this.kinds = [];
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.count += 1;
    this.kinds.push(args.node.kind);
    if (this.failAt === this.count) {
      throw Object.assign(new Error(`injected database failure at statement ${this.count}`), { code: 'EINJECTED' });
    }
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
