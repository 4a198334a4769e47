import { type ServerMessage, serverMessageSchema } from '@repo/contracts';

function textOf(data: unknown): string {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  if (ArrayBuffer.isView(data)) {
    return new TextDecoder().decode(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return String(data);
}

/** A frame's data as a server message, or undefined when it is not one (it is then ignored). */
export function parseServerMessage(data: unknown): ServerMessage | undefined {
  try {
    const result = serverMessageSchema.safeParse(JSON.parse(textOf(data)));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}
