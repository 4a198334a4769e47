import { type DynamicModule, Inject, Injectable, Module, Scope } from '@nestjs/common';
import { Logger, PARAMS_PROVIDER_TOKEN, type Params, PinoLogger } from 'nestjs-pino';
import { type DestinationStream, type Level } from 'pino';
import { type Config } from '../config/config.js';
import { loggerOptions } from './logger.options.js';
import { requestLogger } from './request-log.js';

/**
 * nestjs-pino's PinoLogger, which the app injects, writing through the logger of the request being
 * handled (request-log.ts): nestjs-pino's own request context comes from its middleware, which
 * the API does not mount (so its `assign` has no request to add to).
 */
@Injectable({ scope: Scope.TRANSIENT })
class RequestPinoLogger extends PinoLogger {
  constructor(@Inject(PARAMS_PROVIDER_TOKEN) params: Params) {
    super(params);
  }

  override get logger() {
    return requestLogger() ?? super.logger;
  }

  // A line below the level is dropped before it makes the request's logger.
  protected override call(
    method: Level,
    ...args: [msg: string, ...rest: unknown[]] | [obj: object, msg?: string, ...rest: unknown[]]
  ) {
    if (PinoLogger.root.isLevelEnabled(method)) super.call(method, ...args);
  }
}

/** nestjs-pino's loggers, without its LoggerModule: that one mounts its request middleware. */
@Module({})
export class LoggerModule {
  /** `destination` lets tests read the log lines; the process writes to stdout. */
  static forRoot(config: Config, destination?: DestinationStream): DynamicModule {
    const options = loggerOptions(config, Boolean(destination));
    const params: Params = { pinoHttp: destination ? [options, destination] : options };
    return {
      module: LoggerModule,
      global: true,
      providers: [
        { provide: PARAMS_PROVIDER_TOKEN, useValue: params },
        { provide: PinoLogger, useClass: RequestPinoLogger },
        Logger,
      ],
      exports: [PinoLogger, Logger],
    };
  }
}
