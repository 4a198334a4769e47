import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { type Note, TOTAL_COUNT_HEADER } from '@repo/contracts';
import { type FastifyReply } from 'fastify';
import { AllowApiKey, CurrentPrincipal } from '../core/auth/access.decorators.js';
import { type Principal } from '../core/auth/principal.js';
import { CreateNoteDto, PaginationDto, UpdateNoteDto } from './notes.dto.js';
import { NotesService } from './notes.service.js';

/** An access token or an API key; the global guard refuses writes from read-only keys. */
@Controller('notes')
@AllowApiKey()
export class NotesController {
  constructor(private readonly notes: NotesService) {}

  @Get()
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PaginationDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Note[]> {
    const { notes, total } = await this.notes.list(principal.userId, query);
    reply.header(TOTAL_COUNT_HEADER, String(total));
    return notes;
  }

  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateNoteDto): Promise<Note> {
    return this.notes.create(principal.userId, body);
  }

  @Get(':id')
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<Note> {
    return this.notes.get(principal.userId, id);
  }

  @Patch(':id')
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateNoteDto,
  ): Promise<Note> {
    return this.notes.update(principal.userId, id, body);
  }

  @HttpCode(204)
  @Delete(':id')
  remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    return this.notes.remove(principal.userId, id);
  }
}
