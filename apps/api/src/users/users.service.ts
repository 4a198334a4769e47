import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { REALTIME_EVENTS, type UpdateMe, type User, userTopic } from '@repo/contracts';
import { type EntityManager, Repository } from 'typeorm';
import { AccessCache } from '../access/access-cache.js';
import { Config } from '../core/config/config.js';
import { durationSeconds } from '../core/config/duration.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { RealtimeBus } from '../core/realtime-bus/realtime-bus.js';
import { UserEntity } from './user.entity.js';
import { toUser } from './user.mapper.js';

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class UsersService {
  /** A cached user is read again at least this often (ms): as often as access tokens expire. */
  private readonly cachedFor: number;

  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly bus: RealtimeBus,
    private readonly cache: AccessCache,
    config: Config,
  ) {
    this.cachedFor = durationSeconds(config.ACCESS_TOKEN_TTL) * 1000;
  }

  /** Creates a user; a taken email (in any letter case) is a 409 email_taken. */
  async create(
    fields: Pick<UserEntity, 'email' | 'name' | 'passwordHash'>,
    manager: EntityManager,
  ): Promise<UserEntity> {
    try {
      const user = await manager.getRepository(UserEntity).save(manager.create(UserEntity, fields));
      // Virtual columns are read, never returned by an insert.
      return Object.assign(user, { hasPassword: fields.passwordHash !== null });
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new ProblemError('email_taken', 'An account with this email already exists.');
      }
      throw error;
    }
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  /** With the columns that are never selected by default, for authentication. */
  findWithSecrets(where: { id: string } | { email: string }): Promise<UserEntity | null> {
    return this.users
      .createQueryBuilder('user')
      .addSelect(['user.passwordHash', 'user.totpSecret', 'user.totpLastStep'])
      .where(where)
      .getOne();
  }

  /** The user as the API shows it, through the AccessCache (shared: frozen). */
  async me(userId: string): Promise<User> {
    const user = await this.cache.get(`users:${userId}`, async () => {
      const found = await this.findById(userId);
      return found && { value: Object.freeze(toUser(found)), until: Date.now() + this.cachedFor };
    });
    if (!user) throw new ProblemError('not_found', 'The user no longer exists.');
    return user;
  }

  async update(userId: string, changes: UpdateMe): Promise<User> {
    if (Object.keys(changes).length === 0) return this.me(userId);
    await this.users.update({ id: userId }, changes);
    return this.announce(userId);
  }

  /** Tells the user's tabs and devices (`user.updated`) after a change; returns the user. */
  async announce(userId: string): Promise<User> {
    const user = await this.me(userId);
    await this.bus.publish(userTopic(userId), REALTIME_EVENTS.userUpdated, { user });
    return user;
  }
}
