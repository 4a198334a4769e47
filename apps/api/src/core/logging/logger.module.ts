import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule as PinoLoggerModule } from 'nestjs-pino';
import { type DestinationStream } from 'pino';
import { type Config } from '../config/config.js';
import { loggerOptions } from './logger.options.js';

@Module({})
export class LoggerModule {
  /** `destination` lets tests read the log lines; the process writes to stdout. */
  static forRoot(config: Config, destination?: DestinationStream): DynamicModule {
    const options = loggerOptions(config, Boolean(destination));
    return {
      module: LoggerModule,
      imports: [
        PinoLoggerModule.forRoot({
          pinoHttp: destination ? [options, destination] : options,
          forRoutes: ['{*splat}'],
        }),
      ],
    };
  }
}
