import { readFileSync } from 'node:fs';
import { readMail } from './src/classify-file';
const { msg, body } = await readMail(readFileSync(process.argv[2]));
console.log(JSON.stringify({ from: msg.from, rp: msg.returnPath, has: msg.hasReturnPath, ct: msg.contentType, parts: msg.reportParts.map(p=>p.contentType), text: body.text.slice(0, 600) }, null, 1));
