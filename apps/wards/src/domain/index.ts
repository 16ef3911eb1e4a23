export * from './bed-state';
export * from './ip-number';
export * from './categories';
export * from './gender-policy';
export * from './round';
