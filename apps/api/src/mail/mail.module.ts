import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type Config } from '../core/config/config.js';
import { DevOutboxController } from './dev-outbox.controller.js';
import { MailOutboxEntity } from './mail-outbox.entity.js';
import { MailDelivery } from './mail.delivery.js';
import { MailService } from './mail.service.js';

@Module({})
export class MailModule {
  /** Global: any feature can inject MailService. The dev outbox route is absent in production. */
  static forRoot(config: Config): DynamicModule {
    return {
      module: MailModule,
      global: true,
      imports: [TypeOrmModule.forFeature([MailOutboxEntity])],
      controllers: config.isProduction ? [] : [DevOutboxController],
      providers: [MailService, MailDelivery],
      exports: [MailService],
    };
  }
}
