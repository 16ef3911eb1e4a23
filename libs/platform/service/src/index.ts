export * from './run-service';
export * from './tokens';
export * from './platform-migrations';
export * from './platform.controllers';
export * from './idempotency.interceptor';
export * from './provision';
export * from './event-bus.server';
export * from './caller-context';
