import { createApiKeySchema } from '@repo/contracts';
import { createZodDto } from 'nestjs-zod';

export class CreateApiKeyDto extends createZodDto(createApiKeySchema) {}
