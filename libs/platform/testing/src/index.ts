export * from './database';
export * from './eventually';
export * from './identity';
export * from './builders';
export * from './http-client';
export * from './test-clock';
