import { createNoteSchema, paginationSchema, updateNoteSchema } from '@repo/contracts';
import { createZodDto } from 'nestjs-zod';

export class CreateNoteDto extends createZodDto(createNoteSchema) {}
export class UpdateNoteDto extends createZodDto(updateNoteSchema) {}
export class PaginationDto extends createZodDto(paginationSchema) {}
