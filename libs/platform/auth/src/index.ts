export * from './claims';
export * from './token-verifier';
export * from './guard';
