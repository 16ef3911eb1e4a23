export * from './gstin';
export * from './fefo';
export * from './schedules';
export * from './dates';
export * from './issue-plan';
export * from './stock-rules';
