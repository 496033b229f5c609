/** A connector's failure, as the API answers it: the class decides the code; the connector's code and advice travel in `details`. */
import type { ConnectorError } from '../../connectors/contract.ts';
import { AppError } from '../../errors/app-error.ts';

export function appErrorOf(e: ConnectorError): AppError {
  const details = { connectorCode: e.code, retryClass: e.class, advice: e.advice };
  const message = `${e.message}. ${e.advice}`;
  switch (e.class) {
    case 'configuration':
      return new AppError('connection_failed', message, { details });
    case 'rate_limited':
      return new AppError('rate_limited', message, { details, ...(e.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: e.retryAfterSeconds }) });
    default:
      return new AppError('target_unavailable', message, { details });
  }
}
