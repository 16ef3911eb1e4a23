// Time, ids and the Indian calendar for every service. Free of NestJS on purpose: domain code
// (FHIR, HL7, expiry rules) imports the calendar, and tokens here are plain Symbols.
export * from './clock';
export * from './ids';
export * from './india-calendar';
