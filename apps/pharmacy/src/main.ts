import { main } from '@hms/platform-service';
import { pharmacyDefinition } from './pharmacy.definition';

main(pharmacyDefinition);
