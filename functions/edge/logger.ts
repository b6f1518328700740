// The one logger (Powertools), in its own module so that a function that imports nothing else (the stylesheet)
// carries only this. The service name comes from POWERTOOLS_SERVICE_NAME, set per function by the infra.
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'bridgekeeper' });
