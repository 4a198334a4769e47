import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  type Pagination,
  type SecurityEvent,
  type SecurityEventDetails,
  type SecurityEventType,
  SIGN_IN_EVENT_TYPES,
} from '@repo/contracts';
import { DataSource, type EntityManager, Repository } from 'typeorm';
import { Config } from '../core/config/config.js';
import { MailService } from '../mail/mail.service.js';
import { securityAlertMail } from '../mail/templates/security-alert-mail.js';
import { SECURITY_ALERTS, type SecurityAlertKind } from '../mail/templates/security-alerts.js';
import { type ClientInfo } from '../core/http/client-info.js';
import { deviceOf } from './device.js';
import { SecurityEventEntity } from './security-event.entity.js';

const SIGN_INS: readonly SecurityEventType[] = SIGN_IN_EVENT_TYPES;

const clip = (value: string | undefined, max: number) => (value ? value.slice(0, max) : null);

/**
 * The audit log: one row per security-relevant action on an account, written in the transaction
 * of the change when there is one. Some events also email the account's owner (see
 * SECURITY_ALERTS), through the outbox, in the same transaction. Events older than
 * SECURITY_EVENTS_RETENTION_DAYS are pruned hourly (SecurityEventsJobs).
 */
@Injectable()
export class SecurityEventsService {
  constructor(
    @InjectRepository(SecurityEventEntity)
    private readonly events: Repository<SecurityEventEntity>,
    private readonly mail: MailService,
    private readonly dataSource: DataSource,
    private readonly config: Config,
  ) {}

  /**
   * Records an event of the user's. A sign-in from a device (browser and system) the account's
   * earlier sign-ins never used is mailed to the owner, as are the events of SECURITY_ALERTS.
   * `details` must hold no secret: they are shown to the user.
   */
  async record(
    userId: string,
    type: SecurityEventType,
    client: ClientInfo,
    details: SecurityEventDetails = {},
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    const device = deviceOf(client.userAgent);
    const signIn = SIGN_INS.includes(type);
    const alert: SecurityAlertKind | undefined = signIn
      ? (await this.isNewDevice(userId, device, manager))
        ? 'new_device'
        : undefined
      : type in SECURITY_ALERTS
        ? (type as SecurityAlertKind)
        : undefined;
    const event = await manager.getRepository(SecurityEventEntity).save({
      userId,
      type,
      ip: clip(client.ip, 64),
      userAgent: clip(client.userAgent, 512),
      // Sign-ins keep their device: what the next sign-in is compared with.
      details: signIn ? { ...details, device } : details,
    });
    if (alert) await this.mailAlert(event, alert, device, manager);
  }

  /** One page of the user's events, newest first, and how many there are in all. */
  async list(userId: string, { page, pageSize }: Pagination) {
    const [rows, total] = await this.events.findAndCount({
      where: { userId },
      // id breaks ties, so that pages never overlap nor skip an event.
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { events: rows.map(toSecurityEvent), total };
  }

  private async isNewDevice(userId: string, device: string, manager: EntityManager) {
    const [seen] = await manager.query<{ any: boolean; same: boolean }[]>(
      `SELECT count(*) > 0 AS any, count(*) FILTER (WHERE details->>'device' = $3) > 0 AS same
         FROM security_events WHERE user_id = $1 AND type = ANY($2)`,
      [userId, SIGN_INS, device],
    );
    return Boolean(seen?.any) && !seen?.same;
  }

  private async mailAlert(
    event: SecurityEventEntity,
    kind: SecurityAlertKind,
    device: string,
    manager: EntityManager,
  ) {
    const [owner] = await manager.query<{ email: string; name: string }[]>(
      'SELECT email, name FROM users WHERE id = $1',
      [event.userId],
    );
    if (!owner) return;
    const message = await securityAlertMail({
      to: owner.email,
      name: owner.name,
      kind,
      details: event.details,
      at: event.createdAt,
      device,
      ip: event.ip,
      webOrigin: this.config.WEB_ORIGIN,
    });
    await this.mail.send(message, manager);
  }
}

const toSecurityEvent = (e: SecurityEventEntity): SecurityEvent => ({
  id: e.id,
  type: e.type,
  createdAt: e.createdAt.toISOString(),
  ip: e.ip,
  userAgent: e.userAgent,
  device: e.userAgent ? deviceOf(e.userAgent) : null,
  details: e.details,
});
