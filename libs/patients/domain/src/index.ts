export * from './abha';
export * from './age';
export * from './duplicates';
export * from './names';
export * from './phone';
export * from './uhid';
