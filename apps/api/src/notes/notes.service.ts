import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  type CreateNote,
  type Note,
  type NotesChanged,
  type Pagination,
  type UpdateNote,
  userTopic,
  NOTES_CHANGED,
} from '@repo/contracts';
import { PinoLogger } from 'nestjs-pino';
import { Repository } from 'typeorm';
import { ProblemError } from '../core/problem/problem.error.js';
import { RealtimeBus } from '../core/realtime-bus/realtime-bus.js';
import { NoteEntity } from './note.entity.js';
import { toNote } from './note.mapper.js';

/** RETURNING with the entity's property names: the row comes back shaped as a NoteEntity. */
const RETURNING_NOTE =
  'id, owner_id AS "ownerId", title, body, version, created_at AS "createdAt", updated_at AS "updatedAt"';

const NOT_FOUND = 'No such note of yours.';

/**
 * Every query is scoped to the owner: another user's note is "not found", never "forbidden", so
 * its existence is not revealed. Each change is a single statement (no transaction), so its
 * event is published once that statement has returned, i.e. once it is committed.
 */
@Injectable()
export class NotesService {
  constructor(
    @InjectRepository(NoteEntity) private readonly notes: Repository<NoteEntity>,
    private readonly bus: RealtimeBus,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(NotesService.name);
  }

  /** One page of the owner's notes, most recently changed first, and how many there are in all. */
  async list(ownerId: string, { page, pageSize }: Pagination) {
    const [notes, total] = await this.notes.findAndCount({
      where: { ownerId },
      // id breaks ties, so that pages never overlap nor skip a note.
      order: { updatedAt: 'DESC', id: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { notes: notes.map(toNote), total };
  }

  async get(ownerId: string, id: string): Promise<Note> {
    const note = await this.notes.findOneBy({ id, ownerId });
    if (!note) throw new ProblemError('not_found', NOT_FOUND);
    return toNote(note);
  }

  async create(ownerId: string, input: CreateNote): Promise<Note> {
    const note = await this.notes.save(
      this.notes.create({ ownerId, title: input.title, body: input.body }),
    );
    await this.announce(ownerId, { action: 'created', id: note.id, version: note.version });
    return toNote(note);
  }

  /**
   * Optimistic concurrency in one atomic statement: the row changes only if it is the owner's
   * and still at the version the client read. Of two concurrent updates from the same version,
   * exactly one matches; the other is a 409.
   */
  async update(ownerId: string, id: string, { version, ...changes }: UpdateNote): Promise<Note> {
    const result = await this.notes
      .createQueryBuilder()
      .update()
      .set({ ...changes, version: () => 'version + 1', updatedAt: () => 'now()' })
      .where({ id, ownerId, version })
      .returning(RETURNING_NOTE)
      .execute();
    const [note] = result.raw as NoteEntity[];
    if (!note) throw await this.whyUnchanged(ownerId, id, version);
    await this.announce(ownerId, { action: 'updated', id, version: note.version });
    return toNote(note);
  }

  async remove(ownerId: string, id: string): Promise<void> {
    const result = await this.notes
      .createQueryBuilder()
      .delete()
      .where({ id, ownerId })
      .returning('version')
      .execute();
    const [deleted] = result.raw as Pick<NoteEntity, 'version'>[];
    if (!deleted) throw new ProblemError('not_found', NOT_FOUND);
    await this.announce(ownerId, { action: 'deleted', id, version: deleted.version });
  }

  /** After an update matched nothing: the note is not the owner's (404), or it moved on (409). */
  private async whyUnchanged(ownerId: string, id: string, version: number) {
    const current = await this.notes.findOne({ select: { version: true }, where: { id, ownerId } });
    if (!current) return new ProblemError('not_found', NOT_FOUND);
    return new ProblemError(
      'version_conflict',
      `The note is at version ${current.version}, not ${version}: reload it and apply your change again.`,
    );
  }

  /**
   * Tells the owner's clients (`notes.changed` on `user:<id>`). The change is committed already:
   * a failure to announce it is logged, never turned into an error response.
   */
  private async announce(ownerId: string, change: NotesChanged) {
    try {
      await this.bus.publish(userTopic(ownerId), NOTES_CHANGED, change);
    } catch (error) {
      this.logger.error({ err: error, ...change }, 'Could not announce a note change');
    }
  }
}
