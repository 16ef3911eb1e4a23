// Today's date in India, the date that expiry and tariffs are judged by: one definition for every
// service, in the platform's Indian calendar.
export { indianDate } from '@hms/platform-time';
