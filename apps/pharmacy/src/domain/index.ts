export * from './gstin';
export * from './fefo';
export * from './schedules';
export * from './dates';
