import { Global, Module } from '@nestjs/common';
import { PasswordService } from './password.service.js';
import { SecretBox } from './secret-box.js';

@Global()
@Module({ providers: [SecretBox, PasswordService], exports: [SecretBox, PasswordService] })
export class CryptoModule {}
