import { main } from '@hms/platform-service';
import { auditDefinition } from './audit.definition';

main(auditDefinition);
