import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { REALTIME_EVENTS, type UpdateMe, type User, userTopic } from '@repo/contracts';
import { type EntityManager, Repository } from 'typeorm';
import { ProblemError } from '../core/problem/problem.error.js';
import { RealtimeBus } from '../realtime/realtime-bus.js';
import { UserEntity } from './user.entity.js';
import { toUser } from './user.mapper.js';

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly bus: RealtimeBus,
  ) {}

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

  async me(userId: string): Promise<User> {
    const user = await this.findById(userId);
    if (!user) throw new ProblemError('not_found', 'The user no longer exists.');
    return toUser(user);
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
