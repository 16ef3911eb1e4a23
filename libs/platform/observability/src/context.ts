import { AsyncLocalStorage } from 'node:async_hooks';

/** What follows a request or a consumed event through the code that handles it. */
export interface ExecutionContextData {
  correlationId: string;
  causationId?: string | null;
}

const storage = new AsyncLocalStorage<ExecutionContextData>();

export function runInContext<T>(ctx: ExecutionContextData, fn: () => T): T {
  return storage.run(ctx, fn);
}

export function currentContext(): ExecutionContextData | undefined {
  return storage.getStore();
}
