export * from './transport';
export * from './envelope';
export * from './outbox';
export * from './consumer';
export * from './migrations';
export * from './postgres-transport';
export * from './kafka-transport';
export * from './create-transport';
