import { main } from '@hms/platform-service';
import { wardsDefinition } from './wards.definition';

main(wardsDefinition);
