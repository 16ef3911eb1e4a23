export * from './abha';
export * from './age';
export * from './death';
export * from './duplicates';
export * from './names';
export * from './person-name';
export * from './phone';
export * from './uhid';
