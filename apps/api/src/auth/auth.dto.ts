import {
  changePasswordSchema,
  emailOnlySchema,
  loginSchema,
  refreshSchema,
  registerSchema,
  resetPasswordSchema,
  tokenOnlySchema,
  totpCodeBodySchema,
  totpDisableSchema,
  verifyMfaSchema,
} from '@repo/contracts';
import { createZodDto } from 'nestjs-zod';

// Request bodies, validated by the global ZodValidationPipe against the shared contracts.
export class RegisterDto extends createZodDto(registerSchema) {}
export class LoginDto extends createZodDto(loginSchema) {}
export class VerifyMfaDto extends createZodDto(verifyMfaSchema) {}
export class EmailOnlyDto extends createZodDto(emailOnlySchema) {}
export class TokenOnlyDto extends createZodDto(tokenOnlySchema) {}
export class ResetPasswordDto extends createZodDto(resetPasswordSchema) {}
export class ChangePasswordDto extends createZodDto(changePasswordSchema) {}
export class RefreshDto extends createZodDto(refreshSchema) {}
export class TotpCodeDto extends createZodDto(totpCodeBodySchema) {}
export class TotpDisableDto extends createZodDto(totpDisableSchema) {}
