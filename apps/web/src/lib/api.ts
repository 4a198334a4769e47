import axios from 'axios';
import { env } from '../env';

/** Milliseconds before a request to the API is given up. */
export const API_TIMEOUT_MS = 8_000;

/**
 * The one HTTP client for the API. `withCredentials` sends the API's cookies cross-origin (the
 * API allows it only for origins listed in its CORS_ORIGINS).
 */
export const api = axios.create({
  baseURL: env.NEXT_PUBLIC_API_URL,
  withCredentials: true,
  timeout: API_TIMEOUT_MS,
  headers: { Accept: 'application/json' },
});
