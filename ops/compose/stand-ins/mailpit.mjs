// STAND-IN for Mailpit (see mailpit.Dockerfile): keeps every message received over SMTP in memory
// and serves them in the shape of Mailpit's API, bodies decoded (multipart, quoted-printable,
// base64) as Mailpit returns them.
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';

const messages = [];

/** Header block → lower-case name → unfolded value. */
function parseHeaders(block) {
  const headers = new Map();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function decodeBody(body, encoding) {
  if (/quoted-printable/i.test(encoding ?? '')) {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  if (/base64/i.test(encoding ?? '')) return Buffer.from(body, 'base64').toString('utf8');
  return body;
}

/** The text and HTML parts of a MIME entity, depth first. */
function parts(raw, found = { Text: '', HTML: '' }) {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = parseHeaders(split < 0 ? raw : raw.slice(0, split));
  const body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    for (const part of body.split(`--${boundary}`).slice(1)) {
      if (part.startsWith('--')) break;
      parts(part.replace(/^\r?\n/, ''), found);
    }
  } else if (/^text\/html/i.test(type)) {
    found.HTML ||= decodeBody(body, headers.get('content-transfer-encoding'));
  } else if (/^text\/plain/i.test(type)) {
    found.Text ||= decodeBody(body, headers.get('content-transfer-encoding'));
  }
  return { headers, found };
}

const address = (value) => ({ Name: '', Address: value.replace(/^.*<|>.*$/g, '') });

function store(raw, from, to) {
  const { headers, found } = parts(raw);
  messages.unshift({
    ID: randomUUID(),
    MessageID: headers.get('message-id') ?? '',
    From: address(headers.get('from') ?? from),
    To: to.map(address),
    Subject: headers.get('subject') ?? '',
    Created: new Date().toISOString(),
    Size: raw.length,
    ...found,
  });
}

// SMTP: the commands a client that sends mail uses, no authentication, no TLS (as Mailpit's default).
createTcpServer((socket) => {
  let buffer = '';
  let from = '';
  let to = [];
  let data = null;
  const reply = (line) => socket.write(`${line}\r\n`);
  reply('220 mailpit stand-in ESMTP');
  socket.on('data', (chunk) => {
    buffer += chunk.toString('utf8');
    for (;;) {
      if (data !== null) {
        const end = buffer.indexOf('\r\n.\r\n');
        if (end < 0) return;
        data += buffer.slice(0, end);
        buffer = buffer.slice(end + 5);
        store(data.replace(/^\.\./gm, '.'), from, to);
        data = null;
        from = '';
        to = [];
        reply('250 2.0.0 OK queued');
        continue;
      }
      const eol = buffer.indexOf('\r\n');
      if (eol < 0) return;
      const line = buffer.slice(0, eol);
      buffer = buffer.slice(eol + 2);
      switch (line.slice(0, 4).toUpperCase()) {
        case 'EHLO':
          reply('250-mailpit stand-in\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 0');
          break;
        case 'HELO':
          reply('250 mailpit stand-in');
          break;
        case 'MAIL':
          from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          reply('250 2.1.0 OK');
          break;
        case 'RCPT':
          to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          reply('250 2.1.5 OK');
          break;
        case 'DATA':
          // The terminator search above needs the line end before the first line of data.
          data = '';
          buffer = `\r\n${buffer}`;
          reply('354 End data with <CR><LF>.<CR><LF>');
          break;
        case 'RSET':
          from = '';
          to = [];
          reply('250 2.0.0 OK');
          break;
        case 'NOOP':
          reply('250 2.0.0 OK');
          break;
        case 'QUIT':
          reply('221 2.0.0 Bye');
          socket.end();
          break;
        default:
          reply('502 5.5.2 Command not implemented');
      }
    }
  });
  socket.on('error', () => socket.destroy());
}).listen(1025, '0.0.0.0');

createHttpServer((req, res) => {
  const json = (status, value) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };
  const url = new URL(req.url ?? '/', 'http://mailpit');
  const one = /^\/api\/v1\/message\/([^/]+)$/.exec(url.pathname);
  if (url.pathname === '/readyz' || url.pathname === '/livez') return json(200, {});
  if (url.pathname === '/api/v1/messages' && req.method === 'GET') {
    const summaries = messages.map((m) => {
      const summary = { ...m };
      delete summary.Text;
      delete summary.HTML;
      return summary;
    });
    return json(200, {
      total: messages.length,
      unread: 0,
      count: messages.length,
      start: 0,
      messages: summaries,
    });
  }
  if (url.pathname === '/api/v1/messages' && req.method === 'DELETE') {
    messages.length = 0;
    return json(200, {});
  }
  if (one && req.method === 'GET') {
    const message = messages.find((m) => m.ID === one[1]);
    return message ? json(200, message) : json(404, { Error: 'message not found' });
  }
  json(404, { Error: 'not found' });
}).listen(8025, '0.0.0.0');
