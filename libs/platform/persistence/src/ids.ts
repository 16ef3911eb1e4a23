// Ids now live with the clock in @hms/platform-time; re-exported here because many services (the
// gateway among them) mint row ids with `uuidv7` from persistence.
export { uuidv7 } from '@hms/platform-time';
