import { Injectable } from '@nestjs/common';
import { type Check, type Health, type Readiness } from '@repo/contracts';
import { DataSource } from 'typeorm';
import { APP_VERSION } from '../core/app-version.js';

const CHECK_TIMEOUT_MS = 2_000;

@Injectable()
export class HealthService {
  private readonly startedAt = performance.now();

  constructor(private readonly dataSource: DataSource) {}

  health(): Health {
    return {
      status: 'ok',
      version: APP_VERSION,
      uptimeS: Math.round((performance.now() - this.startedAt) / 1000),
    };
  }

  async readiness(): Promise<Readiness> {
    const database = await this.checkDatabase();
    return {
      status: database.status === 'up' ? 'ok' : 'error',
      checks: { database },
      version: APP_VERSION,
      timestamp: new Date().toISOString(),
    };
  }

  /** A round trip to PostgreSQL, bounded so a hung database reads as down, not as a hung probe. */
  private async checkDatabase(): Promise<Check> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
        }),
      ]);
      return { status: 'up', latencyMs: Math.round((performance.now() - started) * 10) / 10 };
    } catch {
      return { status: 'down', latencyMs: null };
    } finally {
      clearTimeout(timer);
    }
  }
}
