/** The CLI's command table and help text. */
import { classifyCommand } from './classify';
import { dlqCommand } from './dlq';
import { importCommand } from './import';
import { mailboxCommand } from './mailbox';
import { rotateKeyCommand } from './mailbox-admin';
import { migrateCommand } from './migrate';
import { outboundCommand, replyCommand } from './reply';
import { suppressionsCommand } from './suppressions';
import { listTicketsCommand, showTicketCommand } from './tickets';

export interface Command {
  summary: string;
  run(args: string[]): Promise<void>;
}

export const COMMANDS: Record<string, Command> = {
  migrate: { summary: 'create the database if missing and apply migrations', run: migrateCommand },
  mailbox: { summary: 'mailbox add|list|test|deliver|resume|set-password <address>', run: mailboxCommand },
  'rotate-key': { summary: 're-seal stored credentials with the current ENCRYPTION_KEY', run: rotateKeyCommand },
  tickets: { summary: 'list tickets [--tenant slug] [--json]', run: listTicketsCommand },
  ticket: { summary: 'ticket <number>: a ticket and its messages', run: showTicketCommand },
  reply: { summary: 'reply <ticket-number> --text "…": send an agent reply', run: replyCommand },
  outbound: { summary: 'outbound retry <message-id>: re-queue a failed send', run: outboundCommand },
  import: { summary: 'import <mbox|Maildir|folder> --mailbox <address>: feed a mail archive through the pipeline', run: importCommand },
  classify: { summary: 'classify <file.eml | folder>…: the verdict for each mail, as JSON lines', run: classifyCommand },
  suppressions: { summary: 'suppressions list [--tenant slug] [--all] | suppressions remove <address>: hard-bounced recipients', run: suppressionsCommand },
  dlq: { summary: 'dlq list [--stage s] | dlq replay <seq>: dead letters', run: dlqCommand },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: postroom <command> [options]   (npm run postroom -- <command>)\n\n${lines.join('\n')}\n\nCommands read NATS_URL, NATS_NAMESPACE, DATABASE_URL and ENCRYPTION_KEY like the services do.\n`;
}
