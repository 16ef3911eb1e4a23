export * from './database';
export * from './migrations';
export * from './pg-errors';
export * from './ids';
export * from './typeorm-migrations';
