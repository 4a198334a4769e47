import { type DynamicModule, Inject, Injectable, Module, Scope } from '@nestjs/common';
import { Logger, PARAMS_PROVIDER_TOKEN, type Params, PinoLogger } from 'nestjs-pino';
import { type DestinationStream, type Level, type Logger as Pino } from 'pino';
import { pinoHttp } from 'pino-http';
import { type Config } from '../config/config.js';
import { loggerOptions } from './logger.options.js';
import { requestLogger } from './request-log.js';

/**
 * The app's root logger: pino-http's, with its standard serializers, as nestjs-pino makes it, but
 * one per app where nestjs-pino keeps one per process (the first app's): a test process starts
 * many apps, each with its own log destination.
 */
export class RootLogger {
  constructor(readonly logger: Pino) {}
}

/**
 * nestjs-pino's PinoLogger, which the app injects, writing through the logger of the request being
 * handled (request-log.ts), else the app's root: nestjs-pino's own request context comes from its
 * middleware, which the API does not mount (so its `assign` has no request to add to).
 */
@Injectable({ scope: Scope.TRANSIENT })
class RequestPinoLogger extends PinoLogger {
  constructor(
    @Inject(PARAMS_PROVIDER_TOKEN) params: Params,
    private readonly root: RootLogger,
  ) {
    super(params);
  }

  override get logger() {
    return requestLogger() ?? this.root.logger;
  }

  // A line below the level is dropped before it makes the request's logger.
  protected override call(
    method: Level,
    ...args: [msg: string, ...rest: unknown[]] | [obj: object, msg?: string, ...rest: unknown[]]
  ) {
    if (this.root.logger.isLevelEnabled(method)) super.call(method, ...args);
  }
}

/** nestjs-pino's loggers, without its LoggerModule: that one mounts its request middleware. */
@Module({})
export class LoggerModule {
  /** `destination` lets tests read the log lines; the process writes to stdout. */
  static forRoot(config: Config, destination?: DestinationStream): DynamicModule {
    const options = loggerOptions(config, Boolean(destination));
    const root = (destination ? pinoHttp(options, destination) : pinoHttp(options)).logger;
    // nestjs-pino's process-wide root is then this logger too (for the first app of a process).
    const params: Params = { pinoHttp: { logger: root } };
    return {
      module: LoggerModule,
      global: true,
      providers: [
        { provide: PARAMS_PROVIDER_TOKEN, useValue: params },
        { provide: RootLogger, useValue: new RootLogger(root) },
        { provide: PinoLogger, useClass: RequestPinoLogger },
        Logger,
      ],
      exports: [PinoLogger, Logger, RootLogger],
    };
  }
}
