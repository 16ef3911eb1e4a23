export * from './problem';
export * from './problem.filter';
export * from './sanitize';
export * from './paging';
export * from './validation';
export * from './http-setup';
export * from './etag';
export * from './validators';
