import { updateMeSchema } from '@repo/contracts';
import { createZodDto } from 'nestjs-zod';

export class UpdateMeDto extends createZodDto(updateMeSchema) {}
