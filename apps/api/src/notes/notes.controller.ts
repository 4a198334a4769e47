import { Controller, Res } from '@nestjs/common';
import { contract, type Note, TOTAL_COUNT_HEADER } from '@repo/contracts';
import { type FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '../access/principal.js';
import { Handles } from '../core/http/handles.js';
import { Input, type InputOf } from '../core/http/input.js';
import { NotesService } from './notes.service.js';

const notes = contract.notes;

@Controller()
export class NotesController {
  constructor(private readonly service: NotesService) {}

  @Handles(notes.list)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Input() { query }: InputOf<typeof notes.list>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Note[]> {
    const { notes, total } = await this.service.list(principal.userId, query);
    reply.header(TOTAL_COUNT_HEADER, String(total));
    return notes;
  }

  @Handles(notes.create)
  create(
    @CurrentPrincipal() principal: Principal,
    @Input() { body }: InputOf<typeof notes.create>,
  ): Promise<Note> {
    return this.service.create(principal.userId, body);
  }

  @Handles(notes.get)
  get(
    @CurrentPrincipal() principal: Principal,
    @Input() { params }: InputOf<typeof notes.get>,
  ): Promise<Note> {
    return this.service.get(principal.userId, params.id);
  }

  @Handles(notes.update)
  update(
    @CurrentPrincipal() principal: Principal,
    @Input() { params, body }: InputOf<typeof notes.update>,
  ): Promise<Note> {
    return this.service.update(principal.userId, params.id, body);
  }

  @Handles(notes.delete)
  remove(
    @CurrentPrincipal() principal: Principal,
    @Input() { params }: InputOf<typeof notes.delete>,
  ): Promise<void> {
    return this.service.remove(principal.userId, params.id);
  }
}
