export * from './envelope';
export * from './patient-refs';
export * from './permissions';
export * from './errors';
