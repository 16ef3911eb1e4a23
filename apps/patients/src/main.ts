import { main } from '@hms/platform-service';
import { patientsDefinition } from './patients.definition';

main(patientsDefinition);
