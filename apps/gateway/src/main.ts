import { main } from '@hms/platform-service';
import { gatewayDefinition } from './gateway.definition';

main(gatewayDefinition);
