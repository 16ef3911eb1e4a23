export * from './claims';
export * from './token-verifier';
export * from './session-state';
export * from './authenticator';
export * from './guard';
export * from './jwt.strategy';
